package io.gopherlens.gomaps;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.goproc.DwarfMember;
import io.gopherlens.goproc.DwarfReader;
import io.gopherlens.goproc.DwarfStruct;
import io.gopherlens.goproc.GoBinary;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two fields MapReader reads from a bucket or group type without a layout entry: the
 * runtime type header's size and pointer-bytes words, at the same offsets from Go 1.19
 * (runtime._type: size, ptrdata) to 1.27 (internal/abi.Type: Size_, PtrBytes), per DWARF.
 */
class MapTypeHeaderTest {
  @ParameterizedTest(name = "go {0}")
  @EnumSource(GoToolchain.class)
  void typeHeader_dwarf_sizeAndPtrBytesWhereMapReaderReadsThem(GoToolchain go) {
    GoBinary binary = GoBinary.open(go.build(GoToolchain.workload("mapsizes"), Variant.DEFAULT));
    DwarfReader dwarf = DwarfReader.open(binary.elf()).orElseThrow();
    DwarfStruct type = dwarf.struct("internal/abi.Type").or(() -> dwarf.struct("runtime._type")).orElseThrow();
    assertThat(member(type, "Size_", "size")).satisfies(m -> {
      assertThat(m.offset()).isEqualTo(MapReader.TYPE_SIZE);
      assertThat(m.size()).isEqualTo(8);
    });
    assertThat(member(type, "PtrBytes", "ptrdata")).satisfies(m -> {
      assertThat(m.offset()).isEqualTo(MapReader.TYPE_PTR_BYTES);
      assertThat(m.size()).isEqualTo(8);
    });
  }

  private static DwarfMember member(DwarfStruct s, String name, String oldName) {
    Optional<DwarfMember> m = s.member(name).or(() -> s.member(oldName));
    return m.orElseThrow(() -> new AssertionError(s.name() + " has neither " + name + " nor " + oldName));
  }
}
