package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.goproc.GoBuilds.Toolchain;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The largest Go binary every CI machine has, the 1.27 compiler (25 MB, ~20k functions,
 * stripped, PGO-built, text start from moduledata), analysed end to end. Its time and heap
 * budget (under a second and 50 MB) is checked by bench/run.sh, not here: kubectl (57 MB) took
 * 0.17 s and 1.6 MB, a 674 MB provider 0.6 s and 9 MB when measured by hand.
 */
class GoBinaryPerformanceTest {
  private static final Path COMPILER = Toolchain.GO_1_27.goroot.resolve("pkg/tool/linux_amd64/compile");

  @Test
  void open_largeStrippedPgoBinary_resolvesAndSymbolizesRuntimeFunctions() {
    GoBinary bin = GoBinary.open(COMPILER);
    assertThat(bin.stripped()).isTrue();
    assertThat(bin.goVersion()).startsWith("go1.27");
    bin.cgo();
    bin.mapImplementation();
    for (String name : List.of("runtime.gcStart", "runtime.mallocgc", "runtime.stopTheWorldWithSema",
        // (*table).split is not here: the compiler is built with PGO, which inlined it into rehash.
        "runtime.(*gcControllerState).startCycle", "internal/runtime/maps.(*table).rehash", "main.main")) {
      GoFunction fn = bin.function(name).orElseThrow(() -> new AssertionError(name));
      assertThat(bin.returnFileOffsets(fn)).isNotEmpty();
      assertThat(bin.symbolize(fn.entryVa() + 1)).get().extracting(SourceLocation::function).isEqualTo(name);
    }

    assertThat(bin.pclntab().functionCount()).isGreaterThan(10_000);
  }
}
