package io.gopherlens.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** otel-config/: the collector gateway, the Prometheus scrape config and the dashboards. */
class OtelConfigTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(Repo.path("otel-config/grafana"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @Test
  void collector_pipelinesUseDefinedComponentsAndLokisOtlpEndpoint() throws IOException {
    JsonNode c = YAML.readTree(Repo.read("otel-config/collector.yaml"));
    JsonNode pipelines = c.path("service").path("pipelines");
    assertThat(pipelines.fieldNames()).toIterable().containsExactlyInAnyOrder("metrics", "logs");
    for (JsonNode p : pipelines) {
      for (String section : List.of("receivers", "processors", "exporters")) {
        assertThat(p.path(section).isArray()).isTrue();
        for (JsonNode name : p.path(section)) {
          assertThat(c.path(section).has(name.asText())).as(section + " " + name + " is defined").isTrue();
        }
      }
    }
    assertThat(c.path("receivers").path("otlp").path("protocols").fieldNames()).toIterable().containsExactlyInAnyOrder("grpc", "http");
    assertThat(pipelines.path("metrics").path("exporters").get(0).asText()).startsWith("prometheus");
    String logs = pipelines.path("logs").path("exporters").get(0).asText();
    assertThat(logs).startsWith("otlphttp");
    assertThat(c.path("exporters").path(logs).path("endpoint").asText()).endsWith("/otlp");
  }

  @Test
  void prometheus_configIsValidAndKeepsTheDaemonSetsAnnotation() throws Exception {
    Repo.Result r = Repo.run("promtool", "check", "config", Repo.path("otel-config/prometheus.yml").toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    JsonNode job = YAML.readTree(Repo.read("otel-config/prometheus.yml")).path("scrape_configs").get(0);
    assertThat(job.path("kubernetes_sd_configs").get(0).path("role").asText()).isEqualTo("pod");
    var annotations = ManifestsTest.one(DaemonSet.class).getSpec().getTemplate().getMetadata().getAnnotations();
    String text = job.toString();
    for (String a : annotations.keySet()) {
      String meta = "__meta_kubernetes_pod_annotation_" + a.replaceAll("[^a-zA-Z0-9]", "_");
      assertThat(text).as("relabeling reads " + a).contains(meta);
    }
  }

  @Test
  void dashboards_parseAndQueryThroughTheDatasourceVariable() throws IOException {
    assertThat(dashboards()).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("gc-heap.json", "go-maps.json", "tcp-flows.json");
    for (Path d : dashboards()) {
      JsonNode json = new ObjectMapper().readTree(d.toFile());
      assertThat(json.path("uid").asText()).isNotEmpty();
      assertThat(json.path("panels").size()).as(d.toString()).isPositive();
      for (JsonNode panel : json.path("panels")) {
        assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
        for (JsonNode t : panel.path("targets")) {
          assertThat(PromQl.metricNames(t.path("expr").asText())).as(t.path("expr").asText()).isNotEmpty();
        }
      }
    }
  }
}
