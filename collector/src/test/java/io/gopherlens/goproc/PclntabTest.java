package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.goproc.GoBuilds.Build;
import io.gopherlens.goproc.GoBuilds.Toolchain;
import io.gopherlens.goproc.GoBuilds.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table formats and where the table lives, per toolchain and build flavour. */
class PclntabTest {
  /** Go's own test data, shipped in every toolchain's source tree (1.27 has the go117 binary). */
  static final Path GO_SRC = Toolchain.GO_1_27.goroot.resolve("src");

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.gopherlens.goproc.GoBuilds#all")
  void format_followsTheToolchain(Build b) {
    Pclntab t = GoBinary.open(b.path()).pclntab();

    assertThat(t.format()).isEqualTo(b.toolchain().minor() < 20 ? Pclntab.Format.GO_1_18 : Pclntab.Format.GO_1_20);
    assertThat(t.functionCount()).isGreaterThan(1000);
  }

  /**
   * Documents where the table is: PIE before 1.26 renames the section, and the system linker
   * (cgo + PIE) folds it into .data.rel.ro so only the header search finds it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.gopherlens.goproc.GoBuilds#all")
  void locate_findsTheTableWhereTheLinkerPutIt(Build b) {
    ElfFile elf = ElfFile.open(b.path());
    boolean oldPie = b.toolchain().minor() < 26;

    String expected = b.variant() == Variant.CGO_PIE && oldPie ? null
        : b.variant() == Variant.PIE && oldPie ? ".data.rel.ro.gopclntab"
        : ".gopclntab";
    assertThat(elf.section(".gopclntab").isPresent()).isEqualTo(".gopclntab".equals(expected));
    assertThat(elf.section(".data.rel.ro.gopclntab").isPresent()).isEqualTo(".data.rel.ro.gopclntab".equals(expected));
    assertThat(PclntabLocator.locate(elf).functionCount()).isGreaterThan(1000);
  }

  /**
   * Go 1.27 leaves the header's text start at zero and cgo puts C start-up code before
   * runtime.text, so {@code .text} would be off by 0x100; the value must come from moduledata.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.gopherlens.goproc.GoBuilds#all")
  void textStart_isRuntimeText(Build b) {
    GoBinary bin = GoBinary.open(b.path());
    Map<String, Long> nm = GoBuilds.nm(b);
    long headerField = readHeaderTextStart(bin);

    assertThat(bin.pclntab().textStart()).isEqualTo(nm.get("runtime.text"));
    assertThat(headerField == 0).isEqualTo(b.toolchain().minor() >= 26);
  }

  @Test
  void parse_go115TableFromGoTestdata() throws IOException {
    // debug/gosym's Test115PclnParsing: hello world built by Go 1.15 from /tmp/hello.go.
    byte[] table;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(goSource("debug/gosym/testdata/pcln115.gz")))) {
      table = in.readAllBytes();
    }
    Pclntab t = Pclntab.parse(ByteView.of(ByteBuffer.wrap(table), "pcln115", "Go pclntab"), 0x1001000);

    assertThat(t.format()).isEqualTo(Pclntab.Format.GO_1_2);
    int main = t.indexOf("main.main");
    assertThat(t.entry(main)).isEqualTo(0x105c280L);
    assertThat(t.sourceAt(0x105c280L)).contains(new SourceLocation("main.main", "/tmp/hello.go", 3));
    assertThat(t.indexAt(t.end(main) - 1)).isEqualTo(main);
  }

  @Test
  void open_go117BinaryFromGoTestdata() throws IOException {
    Path bin = go117Binary();
    GoBinary go = GoBinary.open(bin);
    Map<String, Long> nm = GoBuilds.nm(new Build(Toolchain.GO_1_27, Variant.DEFAULT, bin));

    assertThat(go.pclntab().format()).isEqualTo(Pclntab.Format.GO_1_16);
    assertThat(go.goVersion()).isEqualTo("go1.17");
    assertThat(go.modulePath()).isEqualTo("example.com/go117");
    assertThat(go.mapImplementation()).isEqualTo(GoBinary.MAPS_CLASSIC);
    for (String name : List.of("main.main", "runtime.gcStart", "runtime.mallocgc", "runtime.hashGrow")) {
      assertThat(go.function(name)).get().extracting(GoFunction::entryVa).as(name).isEqualTo(nm.get(name));
    }
    // -trimpath build: runtime files are recorded relative to GOROOT.
    GoFunction gcStart = go.function("runtime.gcStart").orElseThrow();
    assertThat(go.symbolize(gcStart.entryVa())).get().extracting(SourceLocation::file).isEqualTo("runtime/mgc.go");
    assertThat(go.hasDwarf()).as(".zdebug_info").isTrue();
  }

  /** The 1.17 binary is kept base64-encoded in Go's tree (see its README). */
  static Path go117Binary() throws IOException {
    Path encoded = goSource("debug/buildinfo/testdata/go117/go117.base64");
    byte[] bytes = Base64.getMimeDecoder().decode(Files.readAllBytes(encoded));
    Path out = Files.createTempFile("gopherlens-go117-", "");
    out.toFile().deleteOnExit();
    Files.write(out, bytes);
    return out;
  }

  /** A file of Go's own test data; golang-1.27-src is part of the toolchain setup.sh installs. */
  static Path goSource(String relative) {
    Path p = GO_SRC.resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new AssertionError(p + " is missing: the Go 1.27 sources come with the toolchain; run `sudo bash scripts/setup.sh`");
    }
    return p;
  }

  private static long readHeaderTextStart(GoBinary bin) {
    ElfFile elf = bin.elf();
    ElfSection s = elf.section(".gopclntab").or(() -> elf.section(".data.rel.ro.gopclntab")).orElse(null);
    if (s == null) {
      return -1; // located by search; the field is checked through textStart() above
    }
    return Pclntab.headerTextStart(elf.data(s));
  }
}
