package io.gopherlens.goproc;

/**
 * Recognises the stack-bound check cmd/internal/obj/x86 (obj6.go stacksplit) puts at the entry
 * of Go functions, and finds where a uprobe should go (DESIGN.md decision 2). The check ends
 * in a JBE to morestack; the kernel emulates that jump instead of single-stepping it, and it
 * runs before the function touches its argument registers (only R12, never an ABIInternal
 * argument register, is used as scratch). The three shapes, by frame size:
 *
 * <pre>
 *   small:  CMPQ SP, 16(R14)                     49 3b 66 10
 *           JBE  morestack                       76 rel8 | 0f 86 rel32
 *   large:  LEAQ -(frame-StackSmall)(SP), R12    4c 8d 64 24 disp8 | 4c 8d a4 24 disp32
 *           CMPQ R12, 16(R14)                    4d 3b 66 10
 *           JBE  morestack
 *   huge:   MOVQ SP, R12                         49 89 e4
 *           SUBQ $(frame-StackSmall), R12        49 83 ec imm8 | 49 81 ec imm32
 *           JCS  morestack                       72 rel8 | 0f 82 rel32
 *           CMPQ R12, 16(R14)                    4d 3b 66 10
 *           JBE  morestack
 * </pre>
 *
 * {@code //go:systemstack} functions compare with g.stackguard1, {@code 24(R14)}, instead
 * (ends in 18 instead of 10): Go 1.27's runtime.stopTheWorldWithSema, for one. Anything else
 * (NOSPLIT functions, assembly reading g from TLS) gets the entry.
 */
public final class GoPrologue {
  // The last byte, the displacement of g.stackguard0 or stackguard1, is checked separately.
  private static final byte[] CMP_SP = {0x49, 0x3b, 0x66};
  private static final byte[] CMP_R12 = {0x4d, 0x3b, 0x66};
  private static final int CMP_LENGTH = 4;
  private static final byte[] LEA_R12_DISP8 = {0x4c, (byte) 0x8d, 0x64, 0x24};
  private static final byte[] LEA_R12_DISP32 = {0x4c, (byte) 0x8d, (byte) 0xa4, 0x24};
  private static final byte[] MOV_SP_R12 = {0x49, (byte) 0x89, (byte) 0xe4};
  private static final byte[] SUB_R12_IMM8 = {0x49, (byte) 0x83, (byte) 0xec};
  private static final byte[] SUB_R12_IMM32 = {0x49, (byte) 0x81, (byte) 0xec};

  private GoPrologue() {}

  /**
   * Offset from the entry of the JBE that ends the stack check, or 0 when the function does
   * not start with a recognised check.
   */
  public static int uprobeOffset(byte[] code) {
    return (int) uprobeOffset(ByteView.of(java.nio.ByteBuffer.wrap(code), "code", "machine code"));
  }

  static long uprobeOffset(ByteView code) {
    long at;
    if (isCmp(code, 0, CMP_SP)) {
      at = CMP_LENGTH;
    } else if (code.startsWith(0, LEA_R12_DISP8) && isCmp(code, 5, CMP_R12)) {
      at = 5 + CMP_LENGTH;
    } else if (code.startsWith(0, LEA_R12_DISP32) && isCmp(code, 8, CMP_R12)) {
      at = 8 + CMP_LENGTH;
    } else if (code.startsWith(0, MOV_SP_R12)) {
      at = huge(code);
    } else {
      return 0;
    }
    return at > 0 && isJbe(code, at) ? at : 0;
  }

  private static long huge(ByteView code) {
    long at = MOV_SP_R12.length;
    if (code.startsWith(at, SUB_R12_IMM8)) {
      at += 4;
    } else if (code.startsWith(at, SUB_R12_IMM32)) {
      at += 7;
    } else {
      return 0;
    }
    if (code.startsWith(at, new byte[] {0x72})) {
      at += 2;
    } else if (code.startsWith(at, new byte[] {0x0f, (byte) 0x82})) {
      at += 6;
    } else {
      return 0;
    }
    return isCmp(code, at, CMP_R12) ? at + CMP_LENGTH : 0;
  }

  /** CMPQ reg, disp8(R14) against g.stackguard0 (16) or g.stackguard1 (24). */
  private static boolean isCmp(ByteView code, long at, byte[] opcode) {
    if (!code.startsWith(at, opcode) || !code.contains(at + 3, 1)) {
      return false;
    }
    int disp = code.u8(at + 3);
    return disp == 0x10 || disp == 0x18;
  }

  private static boolean isJbe(ByteView code, long at) {
    return code.contains(at, 2) && code.u8(at) == 0x76
        || code.contains(at, 6) && code.u8(at) == 0x0f && code.u8(at + 1) == 0x86;
  }
}
