package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.goproc.GoBuilds.Build;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class MemstatsLocatorTest {
  private static final RuntimeLayout.MemStats GO_1_19 =
      new RuntimeLayout.MemStats(0, 1176, 24, 3544, 3592, 3600, 3608, 5656, 7704, 7708, 7712);

  /**
   * Builds with symbols. A stripped build's data sits a few bytes away from its default twin's
   * (the linker lays out fewer symbols), so go tool nm of the twin is no ground truth there:
   * GcGroundTruthTest reads NumGC and PauseTotalNs of stripped programs at the found address.
   */
  static Stream<Build> unstripped() {
    return GoBuilds.builds().stream().filter(b -> b.variant() != GoBuilds.Variant.STRIPPED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unstripped")
  void linkAddress_buildWithSymbols_isRuntimeMemstatsOfGoToolNm(Build b) {
    GoBinary binary = GoBinary.open(b.path());
    RuntimeLayout.MemStats layout = RuntimeLayouts.forBinary(binary).layout().orElseThrow().memStats();

    OptionalLong found = MemstatsLocator.linkAddress(binary, layout);

    assertThat(found).as("memstats of %s", b).hasValue(GoBuilds.nmData(b).get("runtime.memstats"));
  }

  @Test
  void best_allFieldsAgree_isTheBase() {
    long base = 0x5939a0;
    long[] refs = {0x4000, base + 3592, base + 3600, base + 3608, base + 7704, base + 7704, base + 7712};

    assertThat(MemstatsLocator.best(refs, GO_1_19)).hasValue(base);
  }

  @Test
  void best_tooFewFieldsAgree_isEmpty() {
    long base = 0x5939a0;
    long[] refs = {base + 3592, base + 3600, base + 7704};

    assertThat(MemstatsLocator.best(refs, GO_1_19)).isEmpty();
  }

  @Test
  void best_twoBasesExplainAsManyFields_isEmpty() {
    long a = 0x500000;
    long b = 0x600000;
    long[] refs = {a + 3592, a + 3600, a + 3608, a + 7704, b + 3592, b + 3600, b + 3608, b + 7704};

    assertThat(MemstatsLocator.best(refs, GO_1_19)).isEmpty();
  }
}
