package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gopherlens.goproc.GoBuilds.Toolchain;
import io.gopherlens.goproc.GoBuilds.Variant;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoBuildInfoTest {
  @Test
  void read_pointerFormatOfGo117() throws IOException {
    ElfFile elf = ElfFile.open(PclntabTest.go117Binary());
    // Before 1.18 the header holds pointers (flags bit 1 clear) to Go string headers in .data.
    assertThat(elf.data(elf.section(".go.buildinfo").orElseThrow()).u8(15) & 2).isZero();

    GoBuildInfo info = GoBuildInfo.read(elf);

    assertThat(info.goVersion()).isEqualTo("go1.17");
    assertThat(info.mainPackage()).isEqualTo("example.com/go117");
    assertThat(info.modulePath()).isEqualTo("example.com/go117");
    assertThat(info.moduleVersion()).isEqualTo("(devel)");
    assertThat(info.settings()).isEmpty(); // 1.17 recorded no build settings
  }

  @Test
  void read_inlineFormatWithSettings() {
    ElfFile elf = ElfFile.open(GoBuilds.build(Toolchain.GO_1_24, Variant.NOSWISSMAP).path());

    GoBuildInfo info = GoBuildInfo.read(elf);

    assertThat(info.goVersion()).startsWith("go1.24.").endsWith(" X:noswissmap");
    assertThat(info.version()).get().satisfies(v -> assertThat(v.atLeast(1, 24)).isTrue());
    assertThat(info.moduleVersion()).isEqualTo("(devel)");
    assertThat(info.settings()).containsEntry("GOEXPERIMENT", "noswissmap").containsEntry("GOARCH", "amd64")
        .containsEntry("CGO_ENABLED", "0");
    assertThat(info.experiment("noswissmap")).isTrue();
    assertThat(info.experiment("swissmap")).isFalse();
  }

  @Test
  void parse_unquotesSettingsLikeRuntimeDebug() {
    String modinfo = String.join("\n",
        "path\tcmd/compile",
        "build\t-ldflags=\"-s -w -X \\\"main.v=1 2\\\"\"",
        "build\t-tags=`a,b`",
        "build\t\"odd key\"=\"\\u00e9\\x41\\101\\n\"",
        "build\tGOEXPERIMENT=",
        "build\t=missing-key",
        "build\tno-equals",
        "build\tbad=\"unterminated",
        "dep\tgolang.org/x/net\tv0.1.0\th1:abc=",
        "");

    GoBuildInfo info = GoBuildInfo.parse("go1.22.1", modinfo);

    assertThat(info.mainPackage()).isEqualTo("cmd/compile");
    assertThat(info.modulePath()).as("no mod line: the package path").isEqualTo("cmd/compile");
    assertThat(info.settings()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "-ldflags", "-s -w -X \"main.v=1 2\"",
        "-tags", "a,b",
        "odd key", "\u00e9AA\n",
        "GOEXPERIMENT", ""));
  }

  @Test
  void parse_keepsSettingsInRecordedOrder() {
    GoBuildInfo info = GoBuildInfo.parse("go1.22.1", "build\tB=1\nbuild\tA=2\nbuild\tC=3\n");

    assertThat(info.settings().keySet()).containsExactly("B", "A", "C");
  }

  @Test
  void read_nonGoBinaryHasNoBuildInfo() {
    assertThatThrownBy(() -> GoBuildInfo.read(ElfFile.open(java.nio.file.Path.of("/bin/true"))))
        .isInstanceOf(GoBinaryException.class)
        .hasMessageStartingWith("not a Go binary: /bin/true: no Go build info");
  }

  @Test
  void version_parsesReleaseStrings() {
    assertThat(GoVersion.parse("go1.24.4 X:noswissmap")).contains(new GoVersion(1, 24, 4, "go1.24.4 X:noswissmap"));
    assertThat(GoVersion.parse("go1.21rc2")).get().extracting(GoVersion::minor).isEqualTo(21);
    assertThat(GoVersion.parse("devel go1.25-3bc2a9b Tue Jan 1")).get().extracting(GoVersion::minor).isEqualTo(25);
    assertThat(GoVersion.parse("gccgo")).isEmpty();
    assertThat(new GoVersion(1, 17, 0, "go1.17").atLeast(1, 18)).isFalse();
  }
}
