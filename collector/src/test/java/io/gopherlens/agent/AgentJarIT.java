package io.gopherlens.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.Workload;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as a user runs it: `java -jar gopherlens.jar agent`, a Go program running
 * beside it, its metrics scraped over HTTP, its events on stdout, then SIGTERM and a check
 * with bpftool and tracefs that no probe is left behind.
 */
class AgentJarIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path JAR = Path.of("target/gopherlens.jar");

  @Test
  void agent_runningGoProgram_printsGcCyclesServesMetricsAndDetachesOnSigterm() throws Exception {
    assertThat(JAR).exists();
    Path binary = GoToolchain.GO_1_24.build(GoToolchain.workload("spine"), GoToolchain.Variant.STRIPPED);
    List<String> linksBefore = gopherlensLinks();

    try (Workload workload = Workload.start(binary, "10")) {
      JsonNode ready = workload.next();
      Process agent =
          new ProcessBuilder("java", "-jar", JAR.toString(), "agent", "--prometheus", "127.0.0.1:0").start();
      try {
        BlockingQueue<String> stdout = lines(agent.getInputStream());
        BlockingQueue<String> stderr = lines(agent.getErrorStream());
        int port = waitForPrometheusPort(stderr);
        waitForLog(stderr, "watching Go process", workload.pid());

        workload.proceed();
        JsonNode done = workload.next();
        long expected = done.get("numgc").asLong() - ready.get("numgc").asLong();

        long gcEvents = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean sawTcp = false;
        while ((gcEvents < expected || !sawTcp) && System.nanoTime() < deadline) {
          String line = stdout.poll(200, TimeUnit.MILLISECONDS);
          if (line == null) continue;
          JsonNode event = JSON.readTree(line);
          if (event.path("process.pid").asInt() != workload.pid()) continue;
          if (event.get("event").asText().equals("go.gc.cycle.start")) gcEvents++;
          if (event.get("event").asText().equals("tcp.state")
              && event.get("peer").asText().equals("127.0.0.1:" + done.get("tcp_port").asInt())) sawTcp = true;
        }
        assertThat(gcEvents).as("go.gc.cycle.start lines for the workload").isEqualTo(expected);
        assertThat(sawTcp).as("tcp.state line for the workload's connection").isTrue();

        String metrics = scrape(port, "/metrics");
        Matcher m =
            Pattern.compile(
                    "go_memory_gc_cycles_total\\{[^}]*process_pid=\"" + workload.pid() + "\"[^}]*} (\\d+)")
                .matcher(metrics);
        long scraped = 0;
        while (m.find()) scraped += Long.parseLong(m.group(1));
        assertThat(scraped).as("scraped gc cycles for the pid").isEqualTo(expected);
        assertThat(scrape(port, "/healthz")).contains("ok");
        assertThat(gopherlensLinks()).as("links while running").hasSizeGreaterThan(linksBefore.size());

        workload.proceed();
        new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).start().waitFor();
        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).as("agent exits after SIGTERM").isTrue();
      } finally {
        agent.destroyForcibly();
      }
    }
    assertThat(gopherlensLinks()).as("bpftool link list after SIGTERM").isEqualTo(linksBefore);
    Path uprobeEvents = Path.of("/sys/kernel/tracing/uprobe_events");
    if (Files.exists(uprobeEvents)) {
      assertThat(Files.readString(uprobeEvents)).doesNotContain("gopherlens", "spine");
    }
  }

  private static int waitForPrometheusPort(BlockingQueue<String> stderr) throws Exception {
    String line = waitForLog(stderr, "agent started", -1);
    Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(line);
    assertThat(m.find()).as("start line names the metrics URL: " + line).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static String waitForLog(BlockingQueue<String> stderr, String msg, int pid) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String line = stderr.poll(200, TimeUnit.MILLISECONDS);
      if (line == null) continue;
      seen.append(line).append('\n');
      if (line.contains("\"msg\":\"" + msg + "\"") && (pid < 0 || line.contains("\"pid\":" + pid))) {
        return line;
      }
    }
    throw new AssertionError("agent never logged '" + msg + "'; stderr was:\n" + seen);
  }

  private static BlockingQueue<String> lines(java.io.InputStream in) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) q.add(l);
              } catch (java.io.IOException ignored) {
                // process ended
              }
            });
    t.setDaemon(true);
    t.start();
    return q;
  }

  private static String scrape(int port, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  /**
   * Links whose program is one of gopherlens' (bpftool shows names cut to 15 characters).
   * When the agent is gone its programs are unloaded, so this must come back to the baseline.
   */
  private static List<String> gopherlensLinks() throws Exception {
    JsonNode progs = JSON.readTree(bpftool("prog", "list"));
    java.util.Set<Long> ours = new java.util.HashSet<>();
    for (JsonNode prog : progs) {
      String name = prog.path("name").asText();
      if (OUR_PROGRAMS.stream().anyMatch(n -> n.startsWith(name) && !name.isEmpty())) {
        ours.add(prog.get("id").asLong());
      }
    }
    List<String> links = new java.util.ArrayList<>();
    for (JsonNode link : JSON.readTree(bpftool("link", "list"))) {
      if (ours.contains(link.path("prog_id").asLong())) links.add(link.toString());
    }
    return links;
  }

  private static final List<String> OUR_PROGRAMS =
      List.of("gc_start", "proc_exec_btf", "proc_exit_btf", "tcp_set_state_btf", "proc_exec_tp", "proc_exit_tp", "tcp_set_state_tp");

  private static String bpftool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("bpftool", "-j"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("bpftool " + String.join(" ", args)).isZero();
    return out.isBlank() ? "[]" : out;
  }
}
