package io.gopherlens.goproc;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Finds the RET instructions of one function, where return-value uprobes go (uretprobes break
 * Go: DESIGN.md decision 3).
 *
 * <p>Compiled Go code holds no data, so a linear sweep from the entry decodes every
 * instruction. Hand-written assembly can embed bytes, though: {@code
 * crypto/internal/boring/sig.StandardCrypto} jumps over 29 marker bytes to its RET, and a sweep
 * decodes that RET as part of a bogus instruction. So the sweep is checked: every direct branch
 * inside the function must land on an instruction it decoded. If one does not, or the sweep
 * meets an invalid opcode, the function is walked again by following control flow from the
 * entry, which skips the data; that walk must reach no indirect jump (it could not know the
 * targets) and decode no two overlapping instructions. Anything else is an error, not a guess.
 */
final class ReturnSites {
  // Real functions are at most a few MB; the cap bounds the bit sets a corrupt table could ask for.
  private static final long MAX_FUNCTION = 64L << 20;

  private ReturnSites() {}

  static long[] find(ByteView code) {
    if (code.size() > MAX_FUNCTION) {
      throw code.corrupt("function of " + code.size() + " bytes is larger than the " + MAX_FUNCTION + "-byte limit");
    }
    int n = (int) code.size();
    BitSet starts = new BitSet(n);
    BitSet targets = new BitSet(n);
    Offsets rets = new Offsets();
    try {
      for (int off = 0; off < n; ) {
        long d = X86Decoder.decode(code, off);
        starts.set(off);
        int next = off + X86Decoder.length(d);
        int flow = X86Decoder.flow(d);
        if (flow == X86Decoder.FLOW_RET) {
          rets.add(off);
        } else if (flow == X86Decoder.FLOW_JCC || flow == X86Decoder.FLOW_JMP || flow == X86Decoder.FLOW_CALL) {
          long target = (long) next + X86Decoder.displacement(d);
          if (target >= 0 && target < n) {
            targets.set((int) target);
          }
        }
        off = next;
      }
    } catch (GoBinaryException undecodable) {
      return followFlow(code, n);
    }
    targets.andNot(starts);
    return targets.isEmpty() ? rets.toArray() : followFlow(code, n);
  }

  /** Decodes only what control flow from the entry reaches. */
  private static long[] followFlow(ByteView code, int n) {
    BitSet starts = new BitSet(n);
    BitSet covered = new BitSet(n);
    Offsets rets = new Offsets();
    ArrayDeque<Integer> work = new ArrayDeque<>();
    work.push(0);
    while (!work.isEmpty()) {
      int off = work.pop();
      while (off < n && !starts.get(off)) {
        if (covered.get(off)) {
          throw code.corrupt("branch to offset 0x" + Integer.toHexString(off) + " lands inside another instruction");
        }
        long d = X86Decoder.decode(code, off);
        int next = off + X86Decoder.length(d);
        int taken = covered.nextSetBit(off);
        if (taken >= 0 && taken < next) {
          throw code.corrupt("instruction at offset 0x" + Integer.toHexString(off) + " overlaps another");
        }
        starts.set(off);
        covered.set(off, next);
        int flow = X86Decoder.flow(d);
        long target = (long) next + X86Decoder.displacement(d);
        switch (flow) {
          case X86Decoder.FLOW_RET -> rets.add(off);
          case X86Decoder.FLOW_JMP_INDIRECT -> throw code.corrupt("code mixes embedded data with an indirect jump at offset 0x"
              + Integer.toHexString(off) + "; not every RET can be found");
          case X86Decoder.FLOW_JCC, X86Decoder.FLOW_JMP, X86Decoder.FLOW_CALL -> {
            if (target >= 0 && target < n) {
              work.push((int) target);
            }
          }
          default -> { }
        }
        if (flow == X86Decoder.FLOW_RET || flow == X86Decoder.FLOW_JMP || flow == X86Decoder.FLOW_STOP) {
          break;
        }
        off = next;
      }
    }
    long[] out = rets.toArray();
    Arrays.sort(out);
    return out;
  }

  /** A growable long array, so a function with many RETs costs one small allocation. */
  private static final class Offsets {
    private long[] values = new long[4];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
