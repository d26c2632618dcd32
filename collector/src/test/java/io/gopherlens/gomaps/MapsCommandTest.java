package io.gopherlens.gomaps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import io.gopherlens.testing.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * `maps <pid> --json` on a real Go program against its own len(m) and buckets or tables: maps
 * growing while the command watches are named by the function that grew them; maps that grew
 * before it started are found through the package-level variables holding them. Needs root.
 */
class MapsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> builds() {
    return Stream.concat(Stream.of(GoToolchain.values())
        .flatMap(go -> Stream.of(Arguments.of(go, Variant.DEFAULT), Arguments.of(go, Variant.STRIPPED))),
        // PIE: globals and stacks move by the load bias.
        Stream.of(Arguments.of(GoToolchain.GO_1_23, Variant.PIE), Arguments.of(GoToolchain.GO_1_27, Variant.PIE)));
  }

  @ParameterizedTest(name = "go {0} {1}")
  @MethodSource("builds")
  void run_mapsGrowWhileWatchingThenStartedAfter_namesSitesAndExactNumbers(GoToolchain go, Variant variant)
      throws Exception {
    boolean swiss = go.compareTo(GoToolchain.GO_1_24) >= 0;
    try (Workload workload = Workload.start(go.build(GoToolchain.workload("mapsizes"), variant))) {
      workload.next();
      int pid = workload.pid();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CompletableFuture<Integer> watching = CompletableFuture.supplyAsync(() -> new MapsCommand(
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
          .run(new String[] {Integer.toString(pid), "--json", "--watch-for", "8s"}));
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!err.toString(StandardCharsets.UTF_8).contains("watching pid") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("watching pid " + pid);
      workload.proceed();
      JsonNode built = workload.next();
      assertThat(watching.get()).as("exit code; stderr: %s", err).isZero();
      Map<String, JsonNode> bySite = bySite(JSON.readTree(out.toString(StandardCharsets.UTF_8)));
      System.out.printf("maps-command go%s %s while growing: %s%n", go.version, variant, bySite.keySet());
      // make(map, hint) builds a Swiss map's tables at once: no growth to see, found through its global.
      for (String name : swiss ? new String[] {"main.fillInts", "main.fillStrings"}
          : new String[] {"main.fillInts", "main.fillStrings", "main.fillPointers"}) {
        JsonNode row = rowFor(bySite, name + " main.go:");
        JsonNode truth = byName(built, name);
        assertThat(row.get("entries").asLong()).as("%s entries", name).isEqualTo(truth.get("len").asLong());
        assertThat(row.get("capacity").asLong()).as("%s capacity", name).isEqualTo(truth.get("capacity").asLong());
        long keyBytes = name.equals("main.fillStrings") ? 16L * truth.get("len").asLong() : 0;
        long heap = truth.get("heap_bytes").asLong() - keyBytes;
        assertThat(row.get("bytes").asLong()).as("%s bytes", name).isCloseTo(heap, Offset.offset(heap / 100));
        assertThat(row.get("retention").asBoolean()).isFalse();
      }

      workload.proceed();
      JsonNode deleted = workload.next();
      out.reset();
      err.reset();
      int code = new MapsCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8)).run(new String[] {Integer.toString(pid), "--json",
              "--watch-for", "1s"});
      assertThat(code).as("exit code; stderr: %s", err).isZero();
      Map<String, JsonNode> late = bySite(JSON.readTree(out.toString(StandardCharsets.UTF_8)));
      System.out.printf("maps-command go%s %s started after: %s%n", go.version, variant, late);
      assertThat(late).as("the three large maps, all package-level").hasSize(3);
      assertThat(late.keySet()).allSatisfy(site -> assertThat(site).startsWith("(global 0x"));
      for (String name : new String[] {"main.fillInts", "main.fillStrings", "main.fillPointers"}) {
        JsonNode truth = byName(deleted, name);
        JsonNode row = late.values().stream().filter(r -> r.get("address").asText()
            .equals("0x" + Long.toHexString(truth.get("addr").asLong()))).findFirst().orElseThrow();
        assertThat(row.get("entries").asLong()).as("%s entries", name).isEqualTo(truth.get("len").asLong());
        assertThat(row.get("capacity").asLong()).as("%s capacity", name).isEqualTo(truth.get("capacity").asLong());
        assertThat(row.get("bytes").asLong()).isPositive();
        if (name.equals("main.fillInts")) {
          // Sized from its storage (nextOverflow or control words): exact, and a retention.
          assertThat(row.get("bytesExact").asBoolean()).isTrue();
          assertThat(row.get("retention").asBoolean()).as("%s retention", name).isTrue();
        }
      }

      out.reset();
      assertThat(new MapsCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
          StandardCharsets.UTF_8)).run(new String[] {Integer.toString(pid), "--top", "1", "--watch-for", "1s"}))
          .isZero();
      String table = out.toString(StandardCharsets.UTF_8);
      assertThat(table.lines().filter(l -> l.contains("(global 0x"))).as("--top 1: one row, its finding").hasSize(2);
      assertThat(table).contains("  <- retention").containsPattern(
          "map created at \\(global 0x[0-9a-f]+\\) owns [\\d.]+ MiB for 50,000 live entries \\([\\d,]+ slots\\)");
    }
  }

  @Test
  void run_notAGoProcess_exits2WithTheReason() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new MapsCommand(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))
        .run(new String[] {Long.toString(ProcessHandle.current().pid())});
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("not a Go binary");
  }

  private static Map<String, JsonNode> bySite(JsonNode rows) {
    Map<String, JsonNode> out = new HashMap<>();
    rows.forEach(r -> out.put(r.get("site").asText(), r));
    return out;
  }

  private static JsonNode rowFor(Map<String, JsonNode> bySite, String prefix) {
    return bySite.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
        .findFirst().orElseThrow(() -> new AssertionError("no row for " + prefix + " in " + bySite.keySet()));
  }

  private static JsonNode byName(JsonNode phase, String name) {
    for (JsonNode m : phase.get("maps")) {
      if (m.get("name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no map " + name + " in " + phase);
  }
}
