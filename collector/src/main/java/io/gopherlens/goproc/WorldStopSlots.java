package io.gopherlens.goproc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where runtime.startTheWorldWithSema(now int64, w worldStop) (Go 1.22+) keeps its argument
 * while it runs, so that one uprobe on its RET sees a whole pause as Go accounts it: the
 * start, {@code w.startedStopping}, read from the function's frame just below the stack
 * pointer, and the end, the nanotime() it returns in AX (for mark termination the one it was
 * handed). Go 1.22-1.27 all store the register arguments into the frame in the entry block:
 *
 * <pre>
 *   PUSHQ BP; MOVQ SP, BP; SUBQ $frame, SP
 *   MOVB BL, reason(SP)            88 5c 24 disp8
 *   MOVQ CX, startedStopping(SP)   48 89 4c 24 disp8
 * </pre>
 *
 * and leave through {@code ADDQ $frame, SP; POPQ BP; RET}. Spill slots are shared between
 * values whose lifetimes do not overlap, so no other store of the function may touch either
 * slot; anything unexpected means no slots, and the agent falls back to the entry probe.
 */
public final class WorldStopSlots {
  static final String FUNCTION = "runtime.startTheWorldWithSema";
  /** What the uprobe cookie has room for (gc.h). */
  static final int MAX_BELOW_SP = 0xfff;

  private static final int REG_CX = 1;
  private static final int REG_BL = 3;

  /**
   * @param startBelowSp bytes below the stack pointer at RET where startedStopping lies
   * @param reasonBelowSp the same for the stwReason byte
   * @param returnFileOffsets where the uprobes go: every RET, each checked to leave the frame
   */
  public record Slots(int startBelowSp, int reasonBelowSp, long[] returnFileOffsets) {}

  private WorldStopSlots() {}

  public static Optional<Slots> find(GoBinary binary) {
    return binary.worldStopSlots(WorldStopSlots::decode);
  }

  private static Optional<Slots> decode(GoBinary binary) {
    if (!ProbeCatalog.passesWorldStop(binary)) {
      return Optional.empty();
    }
    Optional<GoFunction> fn = binary.function(FUNCTION);
    if (fn.isEmpty()) {
      return Optional.empty();
    }
    try {
      return find(binary.code(fn.get())).map(s -> {
        long[] rets = s.returnFileOffsets().clone();
        for (int i = 0; i < rets.length; i++) {
          rets[i] += fn.get().entryFileOffset();
        }
        return new Slots(s.startBelowSp(), s.reasonBelowSp(), rets);
      });
    } catch (GoBinaryException undecodable) {
      return Optional.empty();
    }
  }

  /** The slots of this machine code, with its RETs as offsets from the entry. */
  static Optional<Slots> find(ByteView code) {
    long jbe = GoPrologue.uprobeOffset(code);
    if (jbe == 0) {
      return Optional.empty();
    }
    long jbeDecoded = X86Decoder.decode(code, jbe);
    long afterCheck = jbe + X86Decoder.length(jbeDecoded);
    long growStack = afterCheck + X86Decoder.displacement(jbeDecoded); // morestack tail: SP unframed
    long at = afterCheck;
    if (!code.startsWith(at, new byte[] {0x55, 0x48, (byte) 0x89, (byte) 0xe5})) {
      return Optional.empty();
    }
    at += 4;
    int frame;
    if (code.startsWith(at, new byte[] {0x48, (byte) 0x83, (byte) 0xec})) {
      frame = code.u8(at + 3);
      at += 4;
    } else if (code.startsWith(at, new byte[] {0x48, (byte) 0x81, (byte) 0xec})) {
      frame = code.s32(at + 3);
      at += 7;
    } else {
      return Optional.empty();
    }
    long bodyStart = at;
    long start = -1;
    long reason = -1;
    for (long d = X86Decoder.decode(code, at); X86Decoder.flow(d) == X86Decoder.FLOW_NEXT; d = X86Decoder.decode(code, at)) {
      long store = stackStore(code, at);
      if (store != NO_STORE && opcode(store) == 0x89 && register(store) == REG_CX && width(store) == 8 && start < 0) {
        start = at;
      } else if (store != NO_STORE && opcode(store) == 0x88 && register(store) == REG_BL && reason < 0) {
        reason = at;
      }
      at += X86Decoder.length(d);
    }
    if (start < 0 || reason < 0 || growStack <= bodyStart || growStack > code.size()) {
      return Optional.empty();
    }
    int startSlot = displacement(stackStore(code, start));
    int reasonSlot = displacement(stackStore(code, reason));
    List<Long> rets = new ArrayList<>();
    for (long off = bodyStart; off < growStack; ) {
      long d = X86Decoder.decode(code, off);
      long store = stackStore(code, off);
      if (store != NO_STORE && off != start && off != reason
          && (overlaps(store, startSlot, 8) || overlaps(store, reasonSlot, 1))) {
        return Optional.empty();
      }
      if (X86Decoder.flow(d) == X86Decoder.FLOW_RET) {
        if (!leavesFrame(code, off, frame)) {
          return Optional.empty();
        }
        rets.add(off);
      }
      off += X86Decoder.length(d);
    }
    int startBelow = frame + 8 - startSlot; // PUSHQ BP and the frame are gone at RET
    int reasonBelow = frame + 8 - reasonSlot;
    if (rets.isEmpty() || startBelow < 8 || reasonBelow < 1 || startBelow > MAX_BELOW_SP || reasonBelow > MAX_BELOW_SP) {
      return Optional.empty();
    }
    return Optional.of(new Slots(startBelow, reasonBelow, rets.stream().mapToLong(Long::longValue).toArray()));
  }

  /** ADDQ $frame, SP; POPQ BP right before the RET at {@code ret}. */
  private static boolean leavesFrame(ByteView code, long ret, int frame) {
    if (frame < 0x80) {
      return ret >= 5 && code.startsWith(ret - 5, new byte[] {0x48, (byte) 0x83, (byte) 0xc4, (byte) frame, 0x5d});
    }
    return ret >= 8 && code.startsWith(ret - 8, new byte[] {0x48, (byte) 0x81, (byte) 0xc4}) && code.s32(ret - 5) == frame
        && code.u8(ret - 1) == 0x5d;
  }

  private static final long NO_STORE = -1;

  /**
   * A store to [SP+disp] (no index) by MOV, MOV immediate or an SSE store, packed as
   * displacement (bits 0-31), width in bytes (32-47), ModRM reg field (48-55) and the one-byte
   * opcode (56-63; 0 for two-byte ones); else NO_STORE.
   */
  static long stackStore(ByteView code, long at) {
    long p = at;
    boolean opsize = false;
    int sse = 0; // F2 or F3
    int rex = 0;
    for (; code.contains(p, 1); p++) {
      int b = code.u8(p);
      if (b == 0x66) {
        opsize = true;
      } else if (b == 0xf2 || b == 0xf3) {
        sse = b;
      } else {
        break;
      }
    }
    if (code.contains(p, 1) && (code.u8(p) & 0xf0) == 0x40) {
      rex = code.u8(p++);
    }
    if (!code.contains(p, 3)) {
      return NO_STORE;
    }
    int op = code.u8(p++);
    int packedOp = op;
    int width;
    if (op == 0x88 || op == 0xc6) {
      width = 1;
    } else if (op == 0x89 || op == 0xc7) {
      width = (rex & 0x8) != 0 ? 8 : opsize ? 2 : 4;
    } else if (op == 0x0f) {
      packedOp = 0;
      int op2 = code.u8(p++);
      if (op2 == 0x11) {
        width = sse == 0xf2 ? 8 : sse == 0xf3 ? 4 : 16; // MOVSD, MOVSS, MOVUPS/MOVUPD
      } else if (op2 == 0x29 || op2 == 0x7f) {
        width = 16; // MOVAPS, MOVDQA/MOVDQU
      } else if (op2 == 0xd6) {
        width = 8; // MOVQ xmm
      } else {
        return NO_STORE;
      }
    } else {
      return NO_STORE;
    }
    if (!code.contains(p, 2)) {
      return NO_STORE;
    }
    int modrm = code.u8(p);
    int sib = code.u8(p + 1);
    int mod = modrm >>> 6;
    // [SP + disp]: ModRM r/m = SIB, SIB base = SP and no index, with no REX.B or REX.X extension.
    if (mod == 3 || (modrm & 7) != 4 || (sib & 7) != 4 || ((sib >>> 3) & 7) != 4 || (rex & 0x3) != 0) {
      return NO_STORE;
    }
    int disp;
    if (mod == 0) {
      disp = 0;
    } else if (mod == 1) {
      if (!code.contains(p + 2, 1)) {
        return NO_STORE;
      }
      disp = (byte) code.u8(p + 2);
    } else {
      if (!code.contains(p + 2, 4)) {
        return NO_STORE;
      }
      disp = code.s32(p + 2);
    }
    int register = ((modrm >>> 3) & 7) | ((rex & 0x4) << 1);
    return (disp & 0xffffffffL) | ((long) width << 32) | ((long) register << 48) | ((long) packedOp << 56);
  }

  static int displacement(long store) {
    return (int) store;
  }

  static int width(long store) {
    return (int) ((store >>> 32) & 0xffff);
  }

  static int register(long store) {
    return (int) ((store >>> 48) & 0xff);
  }

  static int opcode(long store) {
    return (int) (store >>> 56);
  }

  private static boolean overlaps(long store, int slot, int size) {
    long lo = displacement(store);
    long hi = lo + width(store);
    return lo < slot + size && slot < hi;
  }
}
