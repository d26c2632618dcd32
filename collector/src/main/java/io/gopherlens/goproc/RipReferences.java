package io.gopherlens.goproc;

import java.util.Arrays;

/**
 * The addresses one function's code reaches through RIP-relative memory operands: how Go code
 * on x86-64 reads and writes package-level variables ({@code MOVQ runtime.memstats+N(SB), AX}).
 * Compiled Go code holds no data, so a linear sweep decodes every instruction.
 */
final class RipReferences {
  private RipReferences() {}

  /** Link-time target of every RIP-relative operand, in code order, for code starting at {@code entryVa}. */
  static long[] find(ByteView code, long entryVa) {
    long[] out = new long[16];
    int size = 0;
    for (long off = 0; off < code.size(); ) {
      long d = X86Decoder.decode(code, off);
      long next = off + X86Decoder.length(d);
      int at = X86Decoder.ripDisplacementAt(d);
      if (at != 0) {
        if (size == out.length) {
          out = Arrays.copyOf(out, size * 2);
        }
        out[size++] = entryVa + next + code.s32(off + at);
      }
      off = next;
    }
    return Arrays.copyOf(out, size);
  }
}
