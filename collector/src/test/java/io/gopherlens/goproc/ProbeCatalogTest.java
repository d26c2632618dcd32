package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which GC points each runtime gets: every trap is paid a few times per GC cycle. */
class ProbeCatalogTest {
  @ParameterizedTest(name = "go {0}")
  @EnumSource(GoToolchain.class)
  void forBinary_gcPoints_oneTrapPerPauseWhereTheRuntimeHandsItsStartOver(GoToolchain go) {
    GoBinary bin = GoBinary.open(go.build(GoToolchain.workload("gcstats"), Variant.STRIPPED));
    int minor = Integer.parseInt(go.version.substring(go.version.indexOf('.') + 1));

    List<String> gcPoints = ProbeCatalog.forBinary(bin).stream()
        .map(ProbeCatalog.ProbePoint::name)
        .filter(name -> name.startsWith("gc."))
        .toList();

    if (minor >= 22) {
      assertThat(gcPoints).containsExactly("gc.cycle.start", "gc.stw.end");
    } else {
      // Go 1.19 here: no worldStop to read the start from, and no stwReason to name the pause.
      assertThat(gcPoints).containsExactly("gc.cycle.start", "gc.mark.termination", "gc.stw.stop", "gc.stw.start");
    }
    for (String name : gcPoints) {
      ProbeCatalog.ProbePoint point = ProbeCatalog.ALL.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
      assertThat(bin.function(point.function())).as(point.function()).isPresent();
    }
  }
}
