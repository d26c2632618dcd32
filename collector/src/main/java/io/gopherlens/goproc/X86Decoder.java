package io.gopherlens.goproc;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An x86-64 instruction decoder for lengths and control flow: enough of the encoding (legacy
 * and REX prefixes, VEX/EVEX/XOP, opcode maps, ModRM/SIB/displacement, immediates) to walk Go
 * code instruction by instruction and to know which instructions return, branch or stop. An
 * opcode that is invalid in 64-bit mode is an error, never a guess: RET offsets become uprobe
 * addresses, and a probe inside an instruction corrupts the traced program.
 */
public final class X86Decoder {
  // Control-flow kinds, bits 8-11 of a decoded instruction.
  static final int FLOW_NEXT = 0; // falls through only
  static final int FLOW_RET = 1; // near return
  static final int FLOW_JCC = 2; // conditional relative branch: target and fall-through
  static final int FLOW_JMP = 3; // unconditional relative jump
  static final int FLOW_CALL = 4; // relative call: returns to the next instruction
  static final int FLOW_JMP_INDIRECT = 5; // target unknown (jump tables, tail calls via register)
  static final int FLOW_STOP = 6; // never falls through: far return, IRET, UD2

  private static final int MAX_LENGTH = 15;

  // Table entries: -1 invalid in 64-bit mode, else MODRM flag | immediate kind.
  private static final int INVALID = -1;
  private static final int MODRM = 0x10;
  private static final int NONE = 0;
  private static final int IB = 1; // imm8 / rel8
  private static final int IW = 2; // imm16
  private static final int IZ = 3; // imm16 with 66, else imm32
  private static final int IV = 4; // imm64 with REX.W, imm16 with 66, else imm32 (MOV r, imm)
  private static final int ENTER = 5; // imm16 + imm8
  private static final int MOFFS = 6; // 8-byte address, 4 with 67
  private static final int REL32 = 7; // near branches: rel32 (66 is ignored in 64-bit mode)
  private static final int GROUP3 = 8; // F6/F7: TEST has an immediate, NOT/NEG/MUL/DIV do not

  private static final int[] ONE_BYTE = new int[256];
  private static final int[] TWO_BYTE = new int[256];

  static {
    for (int row = 0; row < 0x40; row += 8) { // ALU rows: ADD OR ADC SBB AND SUB XOR CMP
      for (int i = 0; i < 4; i++) {
        ONE_BYTE[row + i] = MODRM;
      }
      ONE_BYTE[row + 4] = IB;
      ONE_BYTE[row + 5] = IZ;
    }
    set(ONE_BYTE, INVALID, 0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61, 0x62,
        0x82, 0x9a, 0xc4, 0xc5, 0xce, 0xd4, 0xd5, 0xd6, 0xea);
    set(ONE_BYTE, MODRM, 0x63, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
        0xd0, 0xd1, 0xd2, 0xd3, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xfe, 0xff);
    set(ONE_BYTE, IZ, 0x68, 0xa9);
    set(ONE_BYTE, MODRM | IZ, 0x69, 0x81, 0xc7);
    set(ONE_BYTE, IB, 0x6a, 0xa8, 0xcd, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xeb);
    set(ONE_BYTE, MODRM | IB, 0x6b, 0x80, 0x83, 0xc0, 0xc1, 0xc6);
    for (int op = 0x70; op <= 0x7f; op++) {
      ONE_BYTE[op] = IB; // Jcc rel8
    }
    set(ONE_BYTE, MOFFS, 0xa0, 0xa1, 0xa2, 0xa3);
    for (int op = 0xb0; op <= 0xb7; op++) {
      ONE_BYTE[op] = IB;
    }
    for (int op = 0xb8; op <= 0xbf; op++) {
      ONE_BYTE[op] = IV;
    }
    set(ONE_BYTE, IW, 0xc2, 0xca);
    set(ONE_BYTE, ENTER, 0xc8);
    set(ONE_BYTE, REL32, 0xe8, 0xe9);
    set(ONE_BYTE, MODRM | GROUP3, 0xf6, 0xf7);

    Arrays.fill(TWO_BYTE, MODRM);
    set(TWO_BYTE, INVALID, 0x04, 0x0a, 0x0c, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
        0x7a, 0x7b, 0xa6, 0xa7);
    set(TWO_BYTE, NONE, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x0e, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x37, 0x77,
        0xa0, 0xa1, 0xa2, 0xa8, 0xa9, 0xaa, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf);
    set(TWO_BYTE, MODRM | IB, 0x0f, 0x70, 0x71, 0x72, 0x73, 0xa4, 0xac, 0xba, 0xc2, 0xc4, 0xc5, 0xc6);
    for (int op = 0x80; op <= 0x8f; op++) {
      TWO_BYTE[op] = REL32; // Jcc rel32
    }
  }

  private X86Decoder() {}

  private static void set(int[] table, int value, int... ops) {
    for (int op : ops) {
      table[op] = value;
    }
  }

  /** Length of the instruction at {@code offset} in {@code code}. */
  public static int instructionLength(byte[] code, int offset) {
    return (int) (decode(view(code), offset) & 0xff);
  }

  /**
   * Offsets of the RET instructions (C3, C2 iw) in one function's code, in order; see
   * {@link ReturnSites} for how data embedded in code is handled.
   */
  public static long[] returnOffsets(byte[] code) {
    return ReturnSites.find(view(code));
  }

  static int length(long decoded) {
    return (int) (decoded & 0xff);
  }

  static int flow(long decoded) {
    return (int) ((decoded >>> 8) & 0xf);
  }

  /**
   * Where the disp32 of a RIP-relative memory operand sits in the instruction (bytes from its
   * start), 0 when it has none: how Go code addresses package-level variables.
   */
  static int ripDisplacementAt(long decoded) {
    return (int) ((decoded >>> 12) & 0xf);
  }

  /** Branch displacement of FLOW_JCC/JMP/CALL, relative to the next instruction. */
  static int displacement(long decoded) {
    return (int) (decoded >>> 32);
  }

  /**
   * Decodes the instruction at {@code start}: length in bits 0-7, flow kind in bits 8-11,
   * position of a RIP-relative disp32 in bits 12-15, relative branch displacement in bits 32-63.
   */
  static long decode(ByteView code, long start) {
    long p = start;
    boolean opsize = false;
    boolean addrsize = false;
    int rep = 0;
    int rex = 0;
    boolean legacySse = false; // 66/F2/F3/F0 or REX: not allowed before VEX/EVEX
    int b;
    while (true) {
      b = byteAt(code, p, start);
      if (b == 0x66) {
        opsize = true;
      } else if (b == 0x67) {
        addrsize = true;
      } else if (b == 0xf2 || b == 0xf3) {
        rep = b;
      } else if (b == 0xf0) {
        legacySse = true;
      } else if (b != 0x2e && b != 0x36 && b != 0x3e && b != 0x26 && b != 0x64 && b != 0x65
          && (b & 0xf0) != 0x40) {
        break;
      }
      // A REX prefix only counts immediately before the opcode; a later legacy prefix voids it.
      rex = (b & 0xf0) == 0x40 ? b : 0;
      legacySse |= b == 0x66 || b == 0xf2 || b == 0xf3;
      p++;
      if (p - start >= MAX_LENGTH) {
        throw invalid(code, start, "more than 14 prefixes");
      }
    }
    legacySse |= rex != 0;
    p++; // opcode byte b
    int extraImm = 0;
    int table;
    int flow = FLOW_NEXT;
    int relSize = 0;
    switch (b) {
      case 0x0f -> {
        int b2 = byteAt(code, p++, start);
        if (b2 == 0x38) {
          byteAt(code, p++, start);
          table = MODRM;
        } else if (b2 == 0x3a) {
          byteAt(code, p++, start);
          table = MODRM | IB;
        } else if (b2 == 0x78 && (opsize || rep == 0xf2)) {
          table = MODRM | IB; // SSE4a EXTRQ/INSERTQ: ModRM, imm8, imm8
          extraImm = 1;
        } else {
          table = TWO_BYTE[b2];
          if (b2 >= 0x80 && b2 <= 0x8f) {
            flow = FLOW_JCC;
            relSize = 4;
          } else if (b2 == 0x0b) {
            flow = FLOW_STOP; // UD2
          }
        }
      }
      case 0xc4, 0xc5, 0x62 -> {
        if (legacySse) {
          throw invalid(code, start, "VEX/EVEX after a 66/F2/F3/F0/REX prefix");
        }
        table = vexLike(code, b, p, start);
        p += b == 0xc5 ? 1 : b == 0xc4 ? 2 : 3;
        p++; // opcode
      }
      case 0x8f -> {
        int next = byteAt(code, p, start);
        if ((next & 0x38) != 0) { // ModRM.reg != 0: XOP escape, not POP r/m
          int map = next & 0x1f;
          if (map < 8 || map > 10) {
            throw invalid(code, start, "XOP map " + map);
          }
          table = MODRM | (map == 8 ? IB : map == 10 ? IZ : NONE);
          p += 3; // two XOP payload bytes and the opcode
          opsize = false;
        } else {
          table = MODRM;
        }
      }
      default -> {
        table = ONE_BYTE[b];
        if (b >= 0x70 && b <= 0x7f || b >= 0xe0 && b <= 0xe3) {
          flow = FLOW_JCC; // Jcc, LOOPcc, JRCXZ rel8
          relSize = 1;
        } else if (b == 0xeb || b == 0xe9) {
          flow = FLOW_JMP;
          relSize = b == 0xeb ? 1 : 4;
        } else if (b == 0xe8) {
          flow = FLOW_CALL;
          relSize = 4;
        } else if (b == 0xc3 || b == 0xc2) {
          flow = FLOW_RET;
        } else if (b == 0xca || b == 0xcb || b == 0xcf) {
          flow = FLOW_STOP;
        }
      }
    }
    if (table == INVALID) {
      throw invalid(code, start, "opcode invalid in 64-bit mode");
    }
    int reg = 0;
    long ripAt = 0;
    if ((table & MODRM) != 0) {
      int modrm = byteAt(code, p++, start);
      int mod = modrm >>> 6;
      int rm = modrm & 7;
      reg = (modrm >>> 3) & 7;
      if (b == 0xff && (reg == 4 || reg == 5) && flow == FLOW_NEXT) {
        flow = FLOW_JMP_INDIRECT;
      }
      if (mod != 3) {
        if (rm == 4) {
          int sib = byteAt(code, p++, start);
          if (mod == 0 && (sib & 7) == 5) {
            p += 4; // no base: disp32
          }
        } else if (mod == 0 && rm == 5) {
          ripAt = p - start;
          p += 4; // RIP-relative disp32
        }
        p += mod == 1 ? 1 : mod == 2 ? 4 : 0;
      }
    }
    int kind = table & 0xf;
    if (kind == GROUP3) {
      kind = reg > 1 ? NONE : b == 0xf6 ? IB : IZ;
    }
    p += immediateSize(kind, opsize, addrsize, rex) + extraImm;
    long len = p - start;
    if (len > MAX_LENGTH) {
      throw invalid(code, start, "instruction longer than 15 bytes");
    }
    byteAt(code, p - 1, start); // the whole instruction must be inside the code
    long rel = relSize == 1 ? (byte) code.u8(p - 1) : relSize == 4 ? code.s32(p - 4) : 0;
    return len | ((long) flow << 8) | (ripAt << 12) | (rel << 32);
  }

  /** Table entry for a VEX (C4/C5) or EVEX (62) instruction; every one has a ModRM. */
  private static int vexLike(ByteView code, int escape, long p, long start) {
    int map;
    long opAt;
    if (escape == 0xc5) {
      map = 1;
      opAt = p + 1;
    } else if (escape == 0xc4) {
      map = byteAt(code, p, start) & 0x1f;
      opAt = p + 2;
    } else {
      int p0 = byteAt(code, p, start);
      map = p0 & 0x7;
      opAt = p + 3;
    }
    int op = byteAt(code, opAt, start);
    switch (map) {
      case 1 -> {
        if (op == 0x77 && escape != 0x62) {
          return NONE; // VZEROUPPER / VZEROALL
        }
        boolean imm = op >= 0x70 && op <= 0x73 || op == 0xc2 || op == 0xc4 || op == 0xc5 || op == 0xc6;
        return MODRM | (imm ? IB : NONE);
      }
      case 2 -> {
        return MODRM;
      }
      case 3 -> {
        return MODRM | IB;
      }
      case 5, 6 -> {
        if (escape == 0x62) {
          return MODRM; // AVX512-FP16 maps
        }
        throw invalid(code, start, "VEX map " + map);
      }
      default -> throw invalid(code, start, (escape == 0x62 ? "EVEX" : "VEX") + " map " + map);
    }
  }

  private static int immediateSize(int kind, boolean opsize, boolean addrsize, int rex) {
    return switch (kind) {
      case IB -> 1;
      case IW -> 2;
      case IZ -> opsize ? 2 : 4;
      case IV -> (rex & 0x8) != 0 ? 8 : opsize ? 2 : 4;
      case ENTER -> 3;
      case MOFFS -> addrsize ? 4 : 8;
      case REL32 -> 4;
      default -> 0;
    };
  }

  private static int byteAt(ByteView code, long p, long start) {
    if (p >= code.size()) {
      throw code.corrupt("instruction at offset 0x" + Long.toHexString(start) + " runs past the end of the function");
    }
    return code.u8(p);
  }

  private static GoBinaryException invalid(ByteView code, long start, String why) {
    StringBuilder bytes = new StringBuilder();
    for (long i = start; i < Math.min(code.size(), start + 6); i++) {
      bytes.append(String.format("%02x ", code.u8(i)));
    }
    return code.corrupt("cannot decode instruction at offset 0x" + Long.toHexString(start) + " ("
        + bytes.toString().trim() + "): " + why);
  }

  private static ByteView view(byte[] code) {
    return ByteView.of(ByteBuffer.wrap(code), "code", "machine code");
  }
}
