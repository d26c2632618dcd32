package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gopherlens.probe.MapGrowthSite;
import io.gopherlens.probe.MapProbeCounters;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeEvent;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import io.gopherlens.testing.ProbeEvents;
import io.gopherlens.testing.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The map growth probes against the Go program's own view of its map headers (mapgrowth), for
 * every installed toolchain, stripped and not: events name exactly the big map, one per growth
 * whose map owns at least the threshold (classic: each bucket array; Swiss: each split that
 * doubles the directory), with its capacity; its stack names main.fillCache; the
 * small-map churn never reaches a probe. Needs root.
 */
class MapGrowthProbeTest {
  private static final long MIN_BYTES = 64 * 1024;
  /** map[int]int: 8 tophash bytes + 8 keys + 8 values + the overflow pointer (runtime/map.go bmap). */
  private static final long CLASSIC_BUCKET_BYTES = 8 + 8 * 8 + 8 * 8 + 8;
  /** map[int]int: one 8-byte control word + 8 slots of key and value (internal/runtime/maps/group.go). */
  private static final long SWISS_GROUP_BYTES = 8 + 8 * 16;
  private static final long PAGE = 8192;

  static Stream<Arguments> builds() {
    return Stream.concat(
        Stream.of(GoToolchain.values())
            .flatMap(go -> Stream.of(Arguments.of(go, Variant.DEFAULT), Arguments.of(go, Variant.STRIPPED))),
        // PIE: stack addresses carry the load bias; 1.24 with classic maps through GOEXPERIMENT.
        Stream.of(Arguments.of(GoToolchain.GO_1_23, Variant.PIE), Arguments.of(GoToolchain.GO_1_27, Variant.PIE),
            Arguments.of(GoToolchain.GO_1_24, Variant.NOSWISSMAP)));
  }

  @ParameterizedTest(name = "go {0} {1}")
  @MethodSource("builds")
  void probes_mapWorkload_reportExactlyTheBigMapsGrowthsAboveTheThreshold(GoToolchain go, Variant variant)
      throws Exception {
    Path binary = go.build(GoToolchain.workload("mapgrowth"), variant);
    boolean swiss = variant != Variant.NOSWISSMAP && go.compareTo(GoToolchain.GO_1_24) >= 0;
    check(go, variant.toString(), binary, swiss, variant == Variant.PIE);
  }

  /** PGO inlines (*table).split into rehash: the type slot is then read from rehash's frame. */
  @Test
  void probes_pgoBuildWithSplitInlined_reportTheSameGrowths() throws Exception {
    GoToolchain go = GoToolchain.GO_1_27;
    Path workload = GoToolchain.workload("mapgrowth");
    // PGO inlines what the sampled profile shows hot; a run on a busy machine can sample too
    // little of split for that, so the set-up profiles again (up to three times) before the check.
    Path binary = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Path profile = Files.createTempFile("gopherlens-mapgrowth", ".pgo");
      ProcessBuilder pb = new ProcessBuilder(go.build(workload, Variant.DEFAULT).toString(), "swiss").inheritIO();
      pb.environment().put("GOPHERLENS_CPUPROFILE", profile.toString());
      assertThat(pb.start().waitFor()).as("profiling run").isZero();
      binary = go.buildWithProfile(workload, profile);
      Files.delete(profile);
      if (GoBinary.open(binary).function(MapProbes.SWISS_SPLIT).isEmpty()) {
        break;
      }
    }

    assertThat(GoBinary.open(binary).function(MapProbes.SWISS_SPLIT)).as("split inlined by PGO").isEmpty();
    check(go, "PGO", binary, true, false);
  }

  private void check(GoToolchain go, String variant, Path binary, boolean swissExpected, boolean pie) throws Exception {
    GoBinary goBinary = GoBinary.open(binary);
    boolean swiss = GoBinary.MAPS_SWISS.equals(goBinary.mapImplementation());
    assertThat(swiss).as("map implementation of this build").isEqualTo(swissExpected);
    List<ProbeEvent> events = new ArrayList<>();
    try (NativeProbe probe = NativeProbe.open(new NativeProbe.Options(false, false, true, false, false, false), MIN_BYTES);
        GoProcessTracker tracker = new GoProcessTracker(probe, ProbeCatalog.AGENT);
        Workload workload = Workload.start(binary, swiss ? "swiss" : "classic")) {
      workload.next();
      int pid = workload.pid();
      tracker.onExec(pid);
      tracker.awaitIdle();
      assertThat(tracker.process(pid)).as("watching the workload").isPresent();

      MapProbeCounters start = MapProbeCounters.read(probe);
      workload.proceed();
      workload.next();
      ProbeEvents.drain(probe, events);
      MapProbeCounters small = MapProbeCounters.read(probe).minus(start);
      List<ProbeEvent.MapGrowth> smallEvents = growths(events, pid);

      workload.proceed();
      JsonNode big = workload.next();
      events.clear();
      ProbeEvents.drain(probe, events);
      MapProbeCounters bigPhase = MapProbeCounters.read(probe).minus(start).minus(small);
      workload.proceed();
      assertThat(workload.awaitExit()).isZero();

      long bigMap = big.get("map").asLong();
      long sizedMap = big.get("sized").asLong();
      List<String> expected = new ArrayList<>();
      long directory = 1; // a Swiss map's first table has the directory to itself
      for (JsonNode g : big.get("growths")) {
        long owned = swiss ? g.get("entries").asLong() * (SWISS_GROUP_BYTES / 8) : bucketArrayBytes(g.get("log2").asInt());
        // Swiss: only the splits that double the directory are reported.
        boolean doubling = !swiss || g.get("capacity").asLong() == 2 * directory;
        directory = swiss ? g.get("capacity").asLong() : directory;
        if (owned >= MIN_BYTES && doubling) {
          expected.add(g.get("entries").asLong() + " entries -> 2^" + g.get("log2").asInt() + " = " + g.get("capacity").asLong());
        }
      }
      List<ProbeEvent.MapGrowth> all = growths(events, pid);
      List<ProbeEvent.MapGrowth> grown = all.stream().filter(e -> e.mapAddress() == bigMap).toList();
      List<ProbeEvent.MapGrowth> sized = all.stream().filter(e -> e.mapAddress() == sizedMap).toList();
      System.out.printf("map-growth go%s %s %s: small-map churn %s; big phase %s; %d events for the big map, %d expected%n",
          go.version, variant, swiss ? "swiss" : "classic", small, bigPhase, grown.size(), expected.size());

      assertThat(smallEvents).as("events from the small-map churn").isEmpty();
      assertThat(small.hits()).as("probe hits during the small-map churn").isZero();
      assertThat(grown.stream().map(e -> e.entries() + " entries -> 2^" + e.log2Capacity() + " = " + e.capacity()))
          .as("growths of the big map above %d bytes, from the program's own view", MIN_BYTES)
          .containsExactlyElementsOf(expected);
      assertThat(grown).allSatisfy(e -> {
        assertThat(e.ownedBytes()).isGreaterThanOrEqualTo(MIN_BYTES);
        assertThat(e.site()).isEqualTo(swiss ? MapGrowthSite.SWISS_SPLIT : MapGrowthSite.CLASSIC_GROW);
        assertThat(firstUserFrame(goBinary, e)).isEqualTo("main.fillCache");
        assertThat(e.loadBias() != 0).as("load bias of a PIE process").isEqualTo(pie);
      });
      if (!swiss) {
        assertThat(grown).allSatisfy(e -> assertThat(e.ownedBytes()).isEqualTo(bucketArrayBytes(e.log2Capacity())));
        // make(map, hint) allocates its array in makemap, not through growth.
        assertThat(sized).singleElement().satisfies(e -> {
          assertThat(e.site()).isEqualTo(MapGrowthSite.CLASSIC_MAKE);
          assertThat(firstUserFrame(goBinary, e)).isEqualTo("main.makeSized");
          assertThat(e.entries()).isZero();
        });
      }
      assertThat(all).as("no event names another map").hasSize(grown.size() + sized.size());
    }
  }

  /**
   * What makeBucketArray allocates for B >= 4: 2^B buckets plus 2^(B-4) overflow buckets,
   * rounded up to whole pages (large objects) and then to whole buckets.
   */
  private static long bucketArrayBytes(int b) {
    long bytes = ((1L << b) + (1L << (b - 4))) * CLASSIC_BUCKET_BYTES;
    return (bytes + PAGE - 1) / PAGE * PAGE / CLASSIC_BUCKET_BYTES * CLASSIC_BUCKET_BYTES;
  }

  private static String firstUserFrame(GoBinary binary, ProbeEvent.MapGrowth e) {
    return GoStack.firstUserFrame(binary, e.loadBias(), e.stack()).map(SourceLocation::function)
        .orElseGet(() -> "none in " + GoStack.symbolize(binary, e.loadBias(), e.stack()));
  }

  private static List<ProbeEvent.MapGrowth> growths(List<ProbeEvent> events, int pid) {
    return events.stream()
        .filter(e -> e instanceof ProbeEvent.MapGrowth && e.pid() == pid)
        .map(e -> (ProbeEvent.MapGrowth) e)
        .toList();
  }
}
