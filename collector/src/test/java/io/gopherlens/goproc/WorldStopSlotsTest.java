package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The frame slots of startTheWorldWithSema's worldStop, in real builds and in hand-assembled
 * code that breaks each assumption. The BPF side reads them: a wrong slot is a wrong pause,
 * which GcGroundTruthTest would show against PauseTotalNs.
 */
class WorldStopSlotsTest {
  @ParameterizedTest(name = "go {0}")
  @EnumSource(GoToolchain.class)
  void find_everyBuild_slotsFromGo122AndARetForEach(GoToolchain go) {
    for (Variant variant : new Variant[] {Variant.DEFAULT, Variant.STRIPPED, Variant.PIE}) {
      GoBinary bin = GoBinary.open(go.build(GoToolchain.workload("gcstats"), variant));

      Optional<WorldStopSlots.Slots> slots = WorldStopSlots.find(bin);

      if (!ProbeCatalog.passesWorldStop(bin)) {
        assertThat(slots).as("go %s %s: no worldStop before 1.22", go.version, variant).isEmpty();
        continue;
      }
      assertThat(slots).as("go %s %s", go.version, variant).isPresent();
      GoFunction fn = bin.function(WorldStopSlots.FUNCTION).orElseThrow();
      assertThat(slots.get().returnFileOffsets()).isNotEmpty();
      for (long ret : slots.get().returnFileOffsets()) {
        assertThat(ret).isBetween(fn.entryFileOffset(), fn.entryFileOffset() + fn.size());
      }
      assertThat(slots.get().startBelowSp() % 8).as("an aligned int64").isZero();
      assertThat(slots.get().reasonBelowSp()).isPositive().isNotEqualTo(slots.get().startBelowSp());
    }
  }

  @Test
  void find_goShapedFunction_slotsBelowTheStackPointerAtRet() {
    Optional<WorldStopSlots.Slots> slots = WorldStopSlots.find(code(new byte[0], true));

    assertThat(slots).isPresent();
    assertThat(slots.get().startBelowSp()).isEqualTo(0x58 + 8 - 0x30);
    assertThat(slots.get().reasonBelowSp()).isEqualTo(0x58 + 8 - 0x1b);
    assertThat(slots.get().returnFileOffsets()).as("the RET, from the entry").containsExactly(6L + 4 + 4 + 5 + 4 + 5 + 5 + 5 + 5);
  }

  @Test
  void find_anotherStoreToTheStartSlot_noSlots() {
    byte[] movAxToSlot = {0x48, (byte) 0x89, 0x44, 0x24, 0x30}; // MOVQ AX, 0x30(SP): the slot reused
    assertThat(WorldStopSlots.find(code(movAxToSlot, true))).isEmpty();
  }

  @Test
  void find_sseStoreOverTheReasonSlot_noSlots() {
    byte[] movupsX15 = {0x44, 0x0f, 0x11, 0x7c, 0x24, 0x10}; // MOVUPS X15, 0x10(SP): zeroes 0x10-0x1f
    assertThat(WorldStopSlots.find(code(movupsX15, true))).isEmpty();
  }

  @Test
  void find_storeNextToTheSlots_keepsThem() {
    byte[] movAxBelow = {0x48, (byte) 0x89, 0x44, 0x24, 0x28}; // MOVQ AX, 0x28(SP): 0x28-0x2f
    assertThat(WorldStopSlots.find(code(movAxBelow, true))).isPresent();
  }

  @Test
  void find_retWithoutTheEpilogue_noSlots() {
    assertThat(WorldStopSlots.find(code(new byte[0], false))).isEmpty();
  }

  @Test
  void stackStore_decodesWidthRegisterAndDisplacement() {
    ByteView movb = view(new byte[] {(byte) 0x88, 0x5c, 0x24, 0x1b});
    long s = WorldStopSlots.stackStore(movb, 0);
    assertThat(WorldStopSlots.displacement(s)).isEqualTo(0x1b);
    assertThat(WorldStopSlots.width(s)).isEqualTo(1);
    assertThat(WorldStopSlots.register(s)).isEqualTo(3); // BL

    ByteView disp32 = view(new byte[] {0x48, (byte) 0x89, (byte) 0x8c, 0x24, 0x00, 0x01, 0x00, 0x00});
    long d = WorldStopSlots.stackStore(disp32, 0);
    assertThat(WorldStopSlots.displacement(d)).isEqualTo(0x100);
    assertThat(WorldStopSlots.width(d)).isEqualTo(8);
    assertThat(WorldStopSlots.register(d)).isEqualTo(1); // CX

    ByteView indexed = view(new byte[] {0x48, (byte) 0x89, 0x4c, 0x04, 0x30}); // MOVQ CX, 0x30(SP)(AX*1)
    assertThat(WorldStopSlots.stackStore(indexed, 0)).isEqualTo(-1);
  }

  /**
   * A function laid out as the Go toolchain lays out startTheWorldWithSema: stack check, frame,
   * argument stores, a call, {@code body}, the epilogue (or not), and the morestack tail, whose
   * stores to the unframed SP must not count.
   */
  private static ByteView code(byte[] body, boolean epilogue) {
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    tail.writeBytes(new byte[] {0x48, (byte) 0x89, 0x44, 0x24, 0x08}); // MOVQ AX, 0x8(SP)
    tail.writeBytes(new byte[] {(byte) 0x88, 0x5c, 0x24, 0x10}); // MOVB BL, 0x10(SP)
    tail.writeBytes(new byte[] {0x48, (byte) 0x89, 0x4c, 0x24, 0x18}); // MOVQ CX, 0x18(SP)
    tail.writeBytes(new byte[] {(byte) 0xe8, 0, 0, 0, 0}); // CALL morestack

    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    framed.writeBytes(new byte[] {0x55, 0x48, (byte) 0x89, (byte) 0xe5}); // PUSHQ BP; MOVQ SP, BP
    framed.writeBytes(new byte[] {0x48, (byte) 0x83, (byte) 0xec, 0x58}); // SUBQ $0x58, SP
    framed.writeBytes(new byte[] {0x48, (byte) 0x89, 0x44, 0x24, 0x68}); // MOVQ AX, 0x68(SP)
    framed.writeBytes(new byte[] {(byte) 0x88, 0x5c, 0x24, 0x1b}); // MOVB BL, 0x1b(SP)
    framed.writeBytes(new byte[] {0x48, (byte) 0x89, 0x4c, 0x24, 0x30}); // MOVQ CX, 0x30(SP)
    framed.writeBytes(new byte[] {(byte) 0xe8, 0, 0, 0, 0}); // CALL
    framed.writeBytes(body);
    framed.writeBytes(new byte[] {0x48, (byte) 0x8b, 0x44, 0x24, 0x68}); // MOVQ 0x68(SP), AX
    if (epilogue) {
      framed.writeBytes(new byte[] {0x48, (byte) 0x83, (byte) 0xc4, 0x58, 0x5d}); // ADDQ $0x58, SP; POPQ BP
    }
    framed.writeBytes(new byte[] {(byte) 0xc3}); // RET

    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(new byte[] {0x49, 0x3b, 0x66, 0x10}); // CMPQ SP, 16(R14)
    all.writeBytes(new byte[] {0x76, (byte) framed.size()}); // JBE to the morestack tail
    all.writeBytes(framed.toByteArray());
    all.writeBytes(tail.toByteArray());
    return view(all.toByteArray());
  }

  private static ByteView view(byte[] bytes) {
    return ByteView.of(ByteBuffer.wrap(bytes), "test", "machine code");
  }
}
