package io.gopherlens.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import io.gopherlens.export.prometheus.LeakCaptureExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OTLP/HTTP over real sockets: encodings, responses and status codes as the OTLP spec has them. */
class OtlpHttpReceiverTest {
  @RegisterExtension static final LeakCaptureExtension leaks = new LeakCaptureExtension();
  private final RecordingSink sink = new RecordingSink(false);
  private OtlpReceiver receiver;
  private InetSocketAddress http;

  @BeforeEach
  void start() {
    receiver = new OtlpReceiver(ReceiverSettings.defaults().withListeners(new InetSocketAddress("127.0.0.1", 0), null), sink).start();
    http = receiver.httpAddress();
  }

  @AfterEach
  void stop() throws Exception {
    receiver.close();
    assertThat(receiver.budget().inUseBytes()).as("in-flight bytes after every request").isZero();
    assertThat(leaks.drainAfterGc(5)).as("Netty leak reports").isEmpty();
  }

  private RawHttp.Response post(String path, String type, String headers, byte[] body) throws Exception {
    try (RawHttp c = new RawHttp(http, 5_000)) {
      return c.send(RawHttp.post(path, type, headers, body)).read();
    }
  }

  @Test
  void json_withHexIdsStringInt64sAndEnumNumbers_isDecodedAsTheSpecMapsIt() throws Exception {
    // Shaped like opentelemetry-proto's examples/metrics.json: camelCase, int64 as strings,
    // enum as a number, exemplar ids in hex.
    String json =
        """
        {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},
          "scopeMetrics":[{"scope":{"name":"my.library","version":"1.0.0"},
            "metrics":[{"name":"my.counter","unit":"1","sum":{"aggregationTemporality":1,"isMonotonic":true,
              "dataPoints":[{"asDouble":5,"startTimeUnixNano":"1544712660300000000","timeUnixNano":"1544712660300000000",
                "attributes":[{"key":"my.counter.attr","value":{"stringValue":"some value"}}],
                "exemplars":[{"asDouble":5,"timeUnixNano":"1544712660300000000","traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}},
             {"name":"my.gauge","gauge":{"dataPoints":[{"asInt":"9007199254740993","timeUnixNano":"1544712660300000000"}]}},
             {"name":"my.delta","sum":{"aggregation_temporality":"AGGREGATION_TEMPORALITY_CUMULATIVE","dataPoints":[{"asInt":7}]}}]}]}]}
        """;
    RawHttp.Response r = post("/v1/metrics", "application/json", "", json.getBytes(StandardCharsets.UTF_8));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.text()).isEqualTo("{}");
    MetricData counter = sink.metric("my.counter");
    DoublePointData p = counter.getDoubleSumData().getPoints().iterator().next();
    assertThat(p.getValue()).isEqualTo(5.0);
    assertThat(p.getEpochNanos()).isEqualTo(1544712660300000000L);
    assertThat(p.getAttributes().get(AttributeKey.stringKey("my.counter.attr"))).isEqualTo("some value");
    assertThat(p.getExemplars().get(0).getSpanContext().getTraceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(p.getExemplars().get(0).getSpanContext().getSpanId()).isEqualTo("eee19b7ec3c1b174");
    assertThat(counter.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("my.service");
    LongPointData big = sink.metric("my.gauge").getLongGaugeData().getPoints().iterator().next();
    assertThat(big.getValue()).as("int64 beyond double precision survives").isEqualTo(9007199254740993L);
    assertThat(sink.metric("my.delta").getLongSumData().getAggregationTemporality().name()).isEqualTo("CUMULATIVE");
  }

  @Test
  void jsonLogs_hexTraceIds_becomeTheRecordsSpanContext() throws Exception {
    String json =
        """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
          "scopeLogs":[{"scope":{"name":"app"},"logRecords":[{"timeUnixNano":"1544712660300000000","severityNumber":17,
            "severityText":"ERROR","traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","flags":1,
            "body":{"kvlistValue":{"values":[{"key":"user","value":{"stringValue":"ann"}}]}},
            "attributes":[{"key":"http.status","value":{"intValue":"503"}}]}]}]}]}
        """;
    RawHttp.Response r = post("/v1/logs", "application/json; charset=utf-8", "", json.getBytes(StandardCharsets.UTF_8));

    assertThat(r.status()).isEqualTo(200);
    LogRecordData log = sink.logs().get(0);
    assertThat(log.getSpanContext().getTraceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(log.getSpanContext().isSampled()).isTrue();
    assertThat(log.getSeverity().getSeverityNumber()).isEqualTo(17);
    assertThat(log.getAttributes().get(AttributeKey.longKey("http.status"))).isEqualTo(503L);
    assertThat(log.getBodyValue().asString()).contains("user").contains("ann");
  }

  @Test
  void invalidPoints_areRejectedWithPartialSuccess_inBothEncodings() throws Exception {
    RawHttp.Response r = post("/v1/metrics", "application/x-protobuf", "", OtlpRequests.histogramWithOneBadPoint().toByteArray());

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).isEqualTo("application/x-protobuf");
    ExportMetricsServiceResponse response = ExportMetricsServiceResponse.parseFrom(r.body());
    assertThat(response.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("latency").contains("1 bucket counts for 1 explicit bounds");
    assertThat(sink.metric("latency").getHistogramData().getPoints()).hasSize(1);

    String json = com.google.protobuf.util.JsonFormat.printer().print(OtlpRequests.histogramWithOneBadPoint());
    RawHttp.Response j = post("/v1/metrics", "application/json", "", json.getBytes(StandardCharsets.UTF_8));
    assertThat(j.text()).contains("\"partialSuccess\":{\"rejectedDataPoints\":\"1\",\"errorMessage\":\"1 data points rejected;");
    assertThat(receiver.stats().rejected(Signal.METRICS)).isEqualTo(2);
    assertThat(receiver.stats().accepted(Signal.METRICS)).isEqualTo(2);
  }

  @Test
  void malformedBodies_get400WithAStatusInTheRequestsEncoding() throws Exception {
    RawHttp.Response proto = post("/v1/metrics", "application/x-protobuf", "", new byte[] {(byte) 0x0a, (byte) 0xff, 0x01});
    assertThat(proto.status()).isEqualTo(400);
    assertThat(Status.parseFrom(proto.body()).getMessage()).startsWith("cannot decode the metrics request");

    RawHttp.Response json = post("/v1/logs", "application/json", "", "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"zz\"}]}]}]}".getBytes(StandardCharsets.UTF_8));
    assertThat(json.status()).isEqualTo(400);
    assertThat(json.header("content-type")).isEqualTo("application/json");
    assertThat(json.text()).contains("traceId must be a hex string");

    RawHttp.Response notGzip = post("/v1/metrics", "application/x-protobuf", "content-encoding: gzip\r\n", new byte[] {1, 2, 3});
    assertThat(notGzip.status()).isEqualTo(400);
    assertThat(Status.parseFrom(notGzip.body()).getMessage()).contains("not valid gzip");
    assertThat(receiver.stats().refused(Signal.METRICS, RefusalReason.MALFORMED)).isEqualTo(2);
  }

  @Test
  void unsupportedTypesPathsAndMethods_getTheirStatusCodes() throws Exception {
    assertThat(post("/v1/metrics", "text/plain", "", new byte[0]).status()).isEqualTo(415);
    assertThat(post("/v1/metrics", "application/x-protobuf", "content-encoding: br\r\n", new byte[0]).status()).isEqualTo(415);
    assertThat(post("/v1/nothing", "application/x-protobuf", "", new byte[0]).status()).isEqualTo(404);
    try (RawHttp c = new RawHttp(http, 5_000)) {
      RawHttp.Response r = c.send("GET /v1/metrics HTTP/1.1\r\nhost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).read();
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.header("allow")).isEqualTo("POST");
    }
    assertThat(receiver.stats().refused(Signal.METRICS, RefusalReason.UNSUPPORTED_MEDIA_TYPE)).isEqualTo(2);
  }

  @Test
  void keepAlive_servesManyRequestsOnOneConnection() throws Exception {
    byte[] request = RawHttp.post("/v1/metrics", "application/x-protobuf", "", OtlpRequests.gauge("g", 10).toByteArray());
    try (RawHttp c = new RawHttp(http, 5_000)) {
      for (int i = 0; i < 50; i++) {
        assertThat(c.send(request).read().status()).isEqualTo(200);
      }
    }
    assertThat(receiver.stats().accepted(Signal.METRICS)).isEqualTo(500);
  }

  @Test
  void traces_withoutADestination_areReportedRejectedNotDroppedSilently() throws Exception {
    var span =
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]).concat(com.google.protobuf.ByteString.EMPTY))
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .setName("s");
    var request =
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(span)))
            .build();
    RawHttp.Response r = post("/v1/traces", "application/x-protobuf", "", request.toByteArray());

    assertThat(r.status()).isEqualTo(200);
    var response = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.parseFrom(r.body());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage()).isEqualTo(OtlpIngest.NO_TRACE_DESTINATION);
    assertThat(receiver.stats().refused(Signal.TRACES, RefusalReason.NO_DESTINATION)).isEqualTo(1);
  }
}
