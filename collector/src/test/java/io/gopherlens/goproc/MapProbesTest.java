package io.gopherlens.goproc;

import static io.gopherlens.probe.RecordLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The per-binary settings of the map growth programs, against the binary's own pclntab and layout. */
class MapProbesTest {
  @ParameterizedTest(name = "go {0}")
  @EnumSource(GoToolchain.class)
  void settings_strippedBuild_namesTheRecognisedFramesAndFieldOffsets(GoToolchain go) {
    GoBinary bin = GoBinary.open(go.build(GoToolchain.workload("mapgrowth"), Variant.STRIPPED));
    boolean swiss = GoBinary.MAPS_SWISS.equals(bin.mapImplementation());
    ProbeCatalog.ProbePoint point = swiss ? ProbeCatalog.MAPS_SWISS_SPLIT : ProbeCatalog.MAPS_CLASSIC_GROW;

    MapProbes.Settings s = MapProbes.settings(bin, point);

    assertThat(s.supported()).as(s.unsupportedReason()).isTrue();
    ByteBuffer b = s.value();
    GoFunction probed = bin.function(point.function()).orElseThrow();
    long probeVa = b.getLong(MAPS_BINARY_PROBE_VA);
    assertThat(s.uprobeFileOffset()).isEqualTo(bin.fileOffset(probeVa));
    if (swiss) {
      // go tool objdump: PUSHQ BP; MOVQ SP, BP; SUBQ; MOVZX 0x6(BX); CMPB 0x20(AX); JNE rel32, then the body.
      ByteView before = bin.elf().bytesAt(probeVa - 6, 2, "JNE");
      assertThat(new int[] {before.u8(0), before.u8(1)}).as("a JNE rel32 right before the probe").containsExactly(0x0f, 0x85);
      assertThat(probeVa - probed.entryVa()).as("inside the prologue's block").isBetween(16L, 64L);
    } else {
      assertThat(probeVa).as("the JBE of the stack check").isEqualTo(probed.entryVa() + 4);
    }
    GoFunction first = bin.function(swiss ? MapProbes.SWISS_SPLIT : MapProbes.HASH_GROW).orElseThrow();
    assertThat(b.getLong(MAPS_BINARY_FRAMES + MAPS_FRAME_LO)).isEqualTo(first.entryVa());
    assertThat(b.getLong(MAPS_BINARY_FRAMES + MAPS_FRAME_HI)).isEqualTo(first.endVa());
    assertThat(b.get(MAPS_BINARY_IMPL)).isEqualTo((byte) (swiss ? MapProbes.IMPL_SWISS : MapProbes.IMPL_CLASSIC));
    RuntimeLayout layout = RuntimeLayouts.forBinary(bin).layout().orElseThrow();
    if (swiss) {
      assertThat(b.get(MAPS_BINARY_OFF_GLOBAL_DEPTH)).isEqualTo((byte) layout.swissMaps().orElseThrow().mapGlobalDepth());
      assertThat(b.get(MAPS_BINARY_OFF_GROUP_SIZE)).isEqualTo((byte) layout.swissMaps().orElseThrow().maptypeGroupSize());
    } else {
      assertThat(b.get(MAPS_BINARY_OFF_B)).isEqualTo((byte) 9);
      assertThat(b.getInt(MAPS_BINARY_FRAMES + MAPS_FRAME_SIZE + MAPS_FRAME_SLOT)).isEqualTo(MapProbes.MAKE_MAP_MAP_SLOT);
    }
  }

  @Test
  void settings_classicPointOnGo127_isUnsupportedWithTheVersionRange() {
    // allocLarge exists in every version; the stack slots behind it are only known up to 1.25.
    GoBinary bin = GoBinary.open(GoToolchain.GO_1_27.build(GoToolchain.workload("mapgrowth"), Variant.DEFAULT));

    MapProbes.Settings s = MapProbes.settings(bin, ProbeCatalog.MAPS_CLASSIC_GROW);

    assertThat(s.supported()).isFalse();
    assertThat(s.unsupportedReason()).contains("classic").contains("Go 1.19 to 1.25").contains("go1.27");
  }

  @Test
  void forBinary_classicBinary_listsOnlyTheClassicMapPoint() {
    GoBinary bin = GoBinary.open(GoToolchain.GO_1_23.build(GoToolchain.workload("mapgrowth"), Variant.DEFAULT));

    assertThat(ProbeCatalog.forBinary(bin)).contains(ProbeCatalog.MAPS_CLASSIC_GROW).doesNotContain(ProbeCatalog.MAPS_SWISS_SPLIT);
  }
}
