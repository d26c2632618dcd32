package io.gopherlens.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real Prometheus (2.53 from Debian trixie, installed by scripts/setup.sh) on a free loopback
 * port with its own storage folder, the remote-write receiver on, optionally scraping one target.
 * Queried through its HTTP API as a user would.
 */
public final class PrometheusProcess implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts Prometheus in {@code dir}; {@code scrapeTarget} ("host:port", or null for none) is
   * scraped every {@code scrapeInterval} as job "gopherlens".
   */
  public static PrometheusProcess start(Path dir, String scrapeTarget, Duration scrapeInterval)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: run scripts/setup.sh (installs prometheus/trixie)");
    }
    String interval = scrapeInterval.toMillis() + "ms";
    StringBuilder config =
        new StringBuilder("global:\n  scrape_interval: " + interval + "\n  evaluation_interval: " + interval + "\n");
    if (scrapeTarget != null) {
      config.append("scrape_configs:\n  - job_name: gopherlens\n    static_configs:\n      - targets: ['")
          .append(scrapeTarget)
          .append("']\n");
    }
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    int port = freePort();
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusProcess prometheus = new PrometheusProcess(process, port, log);
    prometheus.awaitReady();
    return prometheus;
  }

  public String remoteWriteUrl() {
    return "http://127.0.0.1:" + port + "/api/v1/write";
  }

  /** The {@code data.result} array of an instant query at the current time. */
  public JsonNode query(String promql) throws IOException, InterruptedException {
    String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("query " + promql + " failed: " + response.statusCode() + " " + response.body());
    }
    return body.path("data").path("result");
  }

  /** Queries until the result satisfies {@code done} or {@code timeout} passes; returns the last result. */
  public JsonNode awaitQuery(String promql, Predicate<JsonNode> done, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode result = query(promql);
    while (!done.test(result) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      result = query(promql);
    }
    return result;
  }

  /** The single value of an instant-vector result, or NaN if it has no series. */
  public static double value(JsonNode result) {
    if (result.size() != 1) {
      return Double.NaN;
    }
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    URI ready = URI.create("http://127.0.0.1:" + port + "/-/ready");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited at start: " + Files.readString(log));
      }
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException("prometheus not ready within 30 s: " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
