package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gopherlens.testing.GoToolchain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InspectCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new InspectCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  @Test
  void run_strippedGo127Binary_resolvesEveryProbePointAsJson() throws Exception {
    Path binary = GoToolchain.GO_1_27.build(GoToolchain.workload("spine"), GoToolchain.Variant.STRIPPED);

    assertThat(run(binary.toString(), "--json")).isZero();

    JsonNode r = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(r.get("goVersion").asText()).startsWith("go1.27");
    assertThat(r.get("stripped").asBoolean()).isTrue();
    assertThat(r.get("pie").asBoolean()).isFalse();
    assertThat(r.get("mapImplementation").asText()).isEqualTo("swiss");
    assertThat(r.get("probes").get("gc.cycle.start").get("resolved").asBoolean()).isTrue();
    assertThat(r.get("probes").get("gc.cycle.start").get("fileOffset").asLong()).isPositive();
    r.get("probes").forEach(p -> assertThat(p.get("resolved").asBoolean()).as(p.toString()).isTrue());
    assertThat(r.get("unsupported")).isEmpty();
    assertThat(r.get("runtimeLayout").get("source").asText()).isEqualTo("table:go1.27");
  }

  @Test
  void run_runningProcessByPid_readsItsExecutable() throws Exception {
    Path binary = GoToolchain.GO_1_19.build(GoToolchain.workload("spine"), GoToolchain.Variant.PIE);
    try (var workload = io.gopherlens.testing.Workload.start(binary)) {
      workload.next();
      assertThat(run(Integer.toString(workload.pid()), "--json")).isZero();
    }
    JsonNode r = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(r.get("goVersion").asText()).startsWith("go1.19");
    assertThat(r.get("pie").asBoolean()).isTrue();
    assertThat(r.get("mapImplementation").asText()).isEqualTo("classic");
    assertThat(r.get("probes").get("maps.classic.grow").get("resolved").asBoolean()).isTrue();
    assertThat(r.get("runtimeLayout").get("source").asText()).isEqualTo("dwarf");
  }

  @Test
  void run_nonGoElf_exits2WithReason() {
    assertThat(run("/bin/true")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("not a Go binary: /bin/true:");
  }

  @Test
  void run_truncatedElf_oneLineErrorNoStackTrace() throws Exception {
    Path binary = GoToolchain.GO_1_24.build(GoToolchain.workload("spine"), GoToolchain.Variant.DEFAULT);
    Path truncated = Files.createTempFile("gopherlens-truncated", "");
    Files.write(truncated, Arrays.copyOf(Files.readAllBytes(binary), 5000));

    assertThat(run(truncated.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).strip()).doesNotContain("\n").startsWith("truncated or corrupt");
    Files.delete(truncated);
  }
}
