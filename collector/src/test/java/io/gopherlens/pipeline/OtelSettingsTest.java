package io.gopherlens.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gopherlens.agent.AgentConfig;
import io.gopherlens.agent.AgentOptions;
import io.gopherlens.export.otlp.OtlpTarget;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every OTEL_* variable the agent honours, and how it combines with flags and the config file. */
class OtelSettingsTest {
  @TempDir Path dir;

  private static AgentConfig env(Map<String, String> env) {
    return AgentConfig.resolve(List.of(), env);
  }

  private static OtlpTarget metrics(AgentConfig c) {
    return Exporters.otlpTarget(c, AgentOptions.OTLP_METRICS_ENDPOINT, "/v1/metrics").orElseThrow();
  }

  private static OtlpTarget logs(AgentConfig c) {
    return Exporters.otlpTarget(c, AgentOptions.OTLP_LOGS_ENDPOINT, "/v1/logs").orElseThrow();
  }

  @Test
  void defaults_noEndpointMeansNoOtlp() {
    AgentConfig c = AgentConfig.defaults();
    assertThat(Exporters.otlpTarget(c, AgentOptions.OTLP_METRICS_ENDPOINT, "/v1/metrics")).isEmpty();
    assertThat(Telemetry.exportsLogs(c)).isFalse();
    assertThat(c.positiveInt(AgentOptions.METRIC_EXPORT_INTERVAL)).isEqualTo(60_000);
  }

  @Test
  void endpoint_httpProtobufAppendsSignalPaths() {
    AgentConfig c = env(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"));
    assertThat(metrics(c).url()).isEqualTo(URI.create("http://collector:4318/v1/metrics"));
    assertThat(logs(c).url()).isEqualTo(URI.create("http://collector:4318/v1/logs"));
    assertThat(metrics(c).protocol()).isEqualTo(OtlpTarget.Protocol.HTTP_PROTOBUF);
  }

  @Test
  void endpoint_grpcIsUsedAsIs() {
    AgentConfig c = env(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
    assertThat(metrics(c).url()).isEqualTo(URI.create("http://collector:4317"));
    assertThat(metrics(c).protocol()).isEqualTo(OtlpTarget.Protocol.GRPC);
  }

  @Test
  void signalEndpoints_beatTheGeneralOneAndAreUsedAsIs() {
    AgentConfig c =
        env(Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "https://metrics.example:443/custom/path",
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://logs.example:4318/v1/logs"));
    assertThat(metrics(c).url()).isEqualTo(URI.create("https://metrics.example:443/custom/path"));
    assertThat(logs(c).url()).isEqualTo(URI.create("http://logs.example:4318/v1/logs"));
    AgentConfig logsOnly = env(Map.of("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://logs.example:4318/v1/logs"));
    assertThat(Exporters.otlpTarget(logsOnly, AgentOptions.OTLP_METRICS_ENDPOINT, "/v1/metrics")).isEmpty();
    assertThat(Telemetry.exportsLogs(logsOnly)).isTrue();
  }

  @Test
  void headersTimeoutCompression_comeFromTheirVariables() {
    AgentConfig c =
        env(Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
            "OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%2Cb%3Dc, x-scope-orgid = tenant+1",
            "OTEL_EXPORTER_OTLP_TIMEOUT", "2500",
            "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"));
    OtlpTarget t = metrics(c);
    assertThat(t.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("api-key", "a,b=c", "x-scope-orgid", "tenant+1"));
    assertThat(t.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(t.gzip()).isTrue();
    assertThat(t.toString()).isEqualTo("OTLP/http/protobuf http://collector:4318/v1/metrics").doesNotContain("a,b");
  }

  @Test
  void exporters_noneTurnsASignalOff() {
    Map<String, String> base = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_LOGS_EXPORTER", "none");
    AgentConfig c = env(base);
    assertThat(Telemetry.exportsLogs(c)).isFalse();
    assertThat(c.exporters(AgentOptions.METRICS_EXPORTER)).containsExactly("otlp");
    AgentConfig noMetrics = AgentConfig.resolve(List.of("--metrics-exporter", "none"), base);
    assertThat(noMetrics.exporters(AgentOptions.METRICS_EXPORTER)).isEmpty();
  }

  @Test
  void exportInterval_isMilliseconds() {
    assertThat(env(Map.of("OTEL_METRIC_EXPORT_INTERVAL", "15000")).positiveInt(AgentOptions.METRIC_EXPORT_INTERVAL))
        .isEqualTo(15_000);
  }

  @Test
  void badValues_failAtStartNamingTheVariable() {
    assertThatThrownBy(() -> env(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")))
        .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL").hasMessageContaining("grpc or http/protobuf");
    assertThatThrownBy(() -> env(Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd")))
        .hasMessageContaining("OTEL_EXPORTER_OTLP_COMPRESSION").hasMessageContaining("gzip or none");
    assertThatThrownBy(() -> env(Map.of("OTEL_METRICS_EXPORTER", "otlp,console")))
        .hasMessageContaining("OTEL_METRICS_EXPORTER").hasMessageContaining("'console'");
    assertThatThrownBy(() -> env(Map.of("OTEL_LOGS_EXPORTER", "loki")))
        .hasMessageContaining("OTEL_LOGS_EXPORTER");
    assertThatThrownBy(() -> env(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317")))
        .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT").hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> env(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "novalue")))
        .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS").hasMessageContaining("key=value");
    assertThatThrownBy(() -> env(Map.of("OTEL_RESOURCE_ATTRIBUTES", "a=%zz")))
        .hasMessageContaining("OTEL_RESOURCE_ATTRIBUTES").hasMessageContaining("percent escape");
    assertThatThrownBy(() -> env(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "10s")))
        .hasMessageContaining("OTEL_EXPORTER_OTLP_TIMEOUT");
    assertThatThrownBy(() -> env(Map.of("OTEL_METRIC_EXPORT_INTERVAL", "0")))
        .hasMessageContaining("OTEL_METRIC_EXPORT_INTERVAL");
  }

  @Test
  void resource_defaultsAndStandardAttributes() {
    Resource r = AgentResource.of(AgentConfig.defaults());
    assertThat(r.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("gopherlens");
    assertThat(r.getAttribute(AttributeKey.stringKey("host.name"))).isEqualTo(AgentResource.hostName()).isNotBlank();
    assertThat(r.getAttribute(AttributeKey.stringKey("service.version"))).isNotBlank();
    assertThat(r.getAttribute(AttributeKey.stringKey("telemetry.sdk.name"))).isEqualTo("opentelemetry");
  }

  @Test
  void resource_serviceNameBeatsResourceAttributesWhichBeatTheDefault() {
    Resource fromAttributes = AgentResource.of(env(Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=edge,host.name=h1")));
    assertThat(fromAttributes.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("edge");
    assertThat(fromAttributes.getAttribute(AttributeKey.stringKey("host.name"))).isEqualTo("h1");
    Resource both =
        AgentResource.of(env(Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=edge", "OTEL_SERVICE_NAME", "gopherlens")));
    assertThat(both.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("gopherlens");
  }

  @Test
  void precedence_flagBeatsEnvBeatsFile() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(
        file,
        "otlp:\n  endpoint: http://from-file:4318\n  protocol: grpc\n  timeout: 1000\nservice:\n  name: file-name\n");
    AgentConfig c =
        AgentConfig.resolve(
            List.of("--config", file.toString(), "--otlp-timeout", "3000"),
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://from-env:4317"));
    OtlpTarget t = metrics(c);
    assertThat(t.url()).isEqualTo(URI.create("http://from-env:4317"));
    assertThat(t.protocol()).isEqualTo(OtlpTarget.Protocol.GRPC);
    assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(AgentResource.of(c).getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("file-name");
  }
}
