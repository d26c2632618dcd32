package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** How forBinary chooses a source, and what it says when it has none. */
class RuntimeLayoutsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void forBinary_versionBetweenTableEntries_isUnsupportedNamingBothNeighbours() throws Exception {
    GoBinary b = GoBinary.open(RuntimeLayoutTableTest.spine(GoToolchain.GO_1_22, Variant.STRIPPED));

    RuntimeLayoutResult r = RuntimeLayouts.forBinary(b, tableWithout("go1.22"));

    assertThat(r.supported()).isFalse();
    assertThat(r.layout()).isEmpty();
    assertThat(r.source()).isEqualTo(RuntimeLayoutResult.UNSUPPORTED);
    assertThat(r.detail()).contains("unsupported Go version " + b.goVersion())
        .contains("no DWARF")
        .contains("nearest: go1.19 and go1.23")
        .contains("-ldflags=-w");
  }

  @Test
  void forBinary_versionNewerThanTable_namesTheNewestEntry() throws Exception {
    GoBinary b = GoBinary.open(RuntimeLayoutTableTest.spine(GoToolchain.GO_1_27, Variant.STRIPPED));

    RuntimeLayoutResult r = RuntimeLayouts.forBinary(b, tableWithout("go1.27"));

    assertThat(r.supported()).isFalse();
    assertThat(r.detail()).contains("go1.19, go1.22, go1.23, go1.24").contains("(nearest: go1.24)");
  }

  @Test
  void forBinary_corruptDwarf_fallsBackToTableAndSaysWhy() throws Exception {
    byte[] image = Files.readAllBytes(RuntimeLayoutTableTest.spine(GoToolchain.GO_1_23, Variant.DEFAULT));
    ElfSection info = ElfFile.parse(ByteBuffer.wrap(image), "x").section(".debug_info").orElseThrow();
    for (int i = 0; i < 64; i++) {
      image[(int) info.offset() + 24 + i] ^= 0x5a; // inside the zlib stream
    }
    GoBinary b = GoBinary.parse(ByteBuffer.wrap(image), "damaged");

    RuntimeLayoutResult r = RuntimeLayouts.forBinary(b);

    assertThat(r.source()).isEqualTo("table:go1.23");
    assertThat(r.detail()).startsWith("DWARF unreadable (").contains(".debug_info");
    assertThat(r.layout().orElseThrow().classicMaps()).isPresent();
  }

  @Test
  void entry_go124_givesTheMapFlavourTheBinaryWasBuiltWith() {
    RuntimeLayoutTable.Entry e = RuntimeLayoutTable.get().entry(GoVersion.parse("go1.24.4").orElseThrow()).orElseThrow();

    assertThat(e.layout(GoBinary.MAPS_SWISS).swissMaps()).isPresent();
    assertThat(e.layout(GoBinary.MAPS_SWISS).classicMaps()).isEmpty();
    assertThat(e.layout(GoBinary.MAPS_CLASSIC).classicMaps()).isPresent();
    assertThat(e.layout(GoBinary.MAPS_CLASSIC).swissMaps()).isEmpty();
  }

  @Test
  void parse_entryWithMissingField_fails() throws Exception {
    ObjectNode root = shipped();
    ((ObjectNode) root.get("go1.23").get("gcController")).remove("heapFree");

    assertThatThrownBy(() -> RuntimeLayoutTable.parse(root)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("go1.23.gcController.heapFree");
  }

  @Test
  void parse_entryWithUnknownField_fails() throws Exception {
    ObjectNode root = shipped();
    ((ObjectNode) root.get("go1.19").get("memStats")).put("numGC", 1);

    assertThatThrownBy(() -> RuntimeLayoutTable.parse(root)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("go1.19.memStats has unknown field numGC");
  }

  @Test
  void parse_badVersionKey_fails() throws Exception {
    ObjectNode root = shipped();
    root.set("1.25", root.get("go1.24"));

    assertThatThrownBy(() -> RuntimeLayoutTable.parse(root)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'1.25'");
  }

  private static RuntimeLayoutTable tableWithout(String version) throws Exception {
    ObjectNode root = shipped();
    root.remove(version);
    return RuntimeLayoutTable.parse(root);
  }

  private static ObjectNode shipped() throws Exception {
    try (InputStream in = RuntimeLayoutTable.class.getResourceAsStream(RuntimeLayoutTable.RESOURCE)) {
      JsonNode root = JSON.readTree(in);
      return (ObjectNode) root;
    }
  }
}
