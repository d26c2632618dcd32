package io.gopherlens.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import io.gopherlens.export.prometheus.LeakCaptureExtension;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each protection of the receiver against a client that triggers it, over real sockets. */
class OtlpReceiverLimitsTest {
  private static final int MAX_BODY = 256 << 10;
  @RegisterExtension static final LeakCaptureExtension leaks = new LeakCaptureExtension();
  private final RecordingSink sink = new RecordingSink(false);
  private OtlpReceiver receiver;

  @AfterEach
  void stop() throws Exception {
    if (receiver != null) receiver.close();
    assertThat(receiver.budget().inUseBytes()).as("in-flight bytes after every request").isZero();
    assertThat(leaks.drainAfterGc(5)).as("Netty leak reports").isEmpty();
  }

  private static ReceiverSettings settings() {
    return ReceiverSettings.defaults()
        .withListeners(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0))
        .withLimits(MAX_BODY, MAX_BODY, MAX_BODY + (MAX_BODY / 2))
        .withTimeouts(Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofSeconds(3));
  }

  private InetSocketAddress start(ReceiverSettings s) {
    receiver = new OtlpReceiver(s, sink).start();
    return receiver.httpAddress();
  }

  private static byte[] metrics(int points) {
    return OtlpRequests.gauge("g", points).toByteArray();
  }

  @Test
  void declaredLengthOverMaxBody_gets413BeforeTheBodyIsBuffered_andTheConnectionStaysUsable() throws Exception {
    InetSocketAddress http = start(settings());
    try (RawHttp c = new RawHttp(http, 5_000)) {
      RawHttp.Response r = c.send(RawHttp.post("/v1/metrics", "application/x-protobuf", "", new byte[MAX_BODY + 1])).read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage()).contains("exceeds receiver.max_body");
      assertThat(c.send(RawHttp.post("/v1/metrics", "application/x-protobuf", "", metrics(5))).read().status()).isEqualTo(200);
    }
    assertThat(receiver.stats().refused(Signal.METRICS, RefusalReason.TOO_LARGE)).isEqualTo(1);
  }

  @Test
  void chunkedBodyGrowingPastMaxBody_gets413() throws Exception {
    InetSocketAddress http = start(settings());
    try (RawHttp c = new RawHttp(http, 5_000)) {
      c.send("POST /v1/metrics HTTP/1.1\r\nhost: t\r\ncontent-type: application/x-protobuf\r\ntransfer-encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[32 << 10];
      String size = Integer.toHexString(chunk.length) + "\r\n";
      for (int i = 0; i < 9; i++) {
        c.send(size.getBytes(StandardCharsets.US_ASCII)).send(chunk).send("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      c.send("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(c.read().status()).isEqualTo(413);
    }
  }

  @Test
  void gzipBomb_stopsInflatingAtTheLimit_with413() throws Exception {
    InetSocketAddress http = start(settings());
    byte[] bomb = OtlpRequests.gzip(new byte[64 << 20]); // 64 MiB of zeros in ~64 KiB
    assertThat(bomb.length).isLessThan(MAX_BODY);
    RawHttp.Response r;
    try (RawHttp c = new RawHttp(http, 5_000)) {
      r = c.send(RawHttp.post("/v1/metrics", "application/x-protobuf", "content-encoding: gzip\r\n", bomb)).read();
    }
    assertThat(r.status()).isEqualTo(413);
    assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage()).contains("inflates past receiver.max_decompressed");
    assertThat(receiver.budget().inUseBytes()).isZero();
  }

  @Test
  void slowHeaders_get408AfterTheHeaderTimeout() throws Exception {
    InetSocketAddress http = start(settings());
    try (RawHttp c = new RawHttp(http, 5_000)) {
      long t0 = System.nanoTime();
      c.send("POST /v1/metrics HTTP/1.1\r\nhost: t\r\n".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response r = c.read();
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.status()).isEqualTo(408);
      assertThat(millis).isBetween(350L, 3_000L);
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(receiver.stats().refused(null, RefusalReason.TIMEOUT)).isEqualTo(1);
  }

  @Test
  void slowBody_gets408AfterTheReadTimeout_andReleasesItsReservation() throws Exception {
    InetSocketAddress http = start(settings());
    try (RawHttp c = new RawHttp(http, 5_000)) {
      c.send("POST /v1/metrics HTTP/1.1\r\nhost: t\r\ncontent-type: application/x-protobuf\r\ncontent-length: 1000\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(100);
      assertThat(receiver.budget().inUseBytes()).isEqualTo(1000);
      assertThat(c.read().status()).isEqualTo(408);
      assertThat(c.closedByServer()).isTrue();
    }
    Thread.sleep(100);
    assertThat(receiver.budget().inUseBytes()).isZero();
  }

  @Test
  void silentConnection_isClosedAfterTheIdleTimeout() throws Exception {
    InetSocketAddress http = start(settings().withTimeouts(Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(500)));
    try (RawHttp c = new RawHttp(http, 5_000)) {
      long t0 = System.nanoTime();
      assertThat(c.closedByServer()).isTrue();
      assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(400L, 4_000L);
    }
  }

  @Test
  void overTheInflightBudget_gets429WithRetryAfter_andSucceedsOnRetry() throws Exception {
    InetSocketAddress http = start(settings());
    byte[] big = metrics(4000);
    assertThat(big.length).isBetween(MAX_BODY / 2 + 1, MAX_BODY);
    try (RawHttp slow = new RawHttp(http, 5_000); RawHttp second = new RawHttp(http, 5_000)) {
      byte[] request = RawHttp.post("/v1/metrics", "application/x-protobuf", "", big);
      int headerEnd = request.length - big.length;
      slow.send(java.util.Arrays.copyOf(request, headerEnd)); // reserves the body's length, sends none of it
      Thread.sleep(100);
      RawHttp.Response refused = second.send(request).read();
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("retry-after")).isEqualTo("1");

      slow.send(big);
      assertThat(slow.read().status()).isEqualTo(200);
      assertThat(second.send(request).read().status()).isEqualTo(200);
    }
    assertThat(receiver.stats().refused(Signal.METRICS, RefusalReason.OVERLOADED)).isEqualTo(1);
    assertThat(receiver.stats().accepted(Signal.METRICS)).isEqualTo(8_000);
  }

  @Test
  void bearerToken_isRequiredOnHttpAndGrpc() throws Exception {
    InetSocketAddress http = start(settings().withBearerToken("s3cret"));
    byte[] body = metrics(1);
    RawHttp.Response none, wrong, right;
    try (RawHttp c = new RawHttp(http, 5_000)) {
      none = c.send(RawHttp.post("/v1/metrics", "application/x-protobuf", "", body)).read();
    }
    try (RawHttp c = new RawHttp(http, 5_000)) {
      wrong = c.send(RawHttp.post("/v1/metrics", "application/x-protobuf", "authorization: Bearer s3cre\r\n", body)).read();
    }
    try (RawHttp c = new RawHttp(http, 5_000)) {
      right = c.send(RawHttp.post("/v1/metrics", "application/x-protobuf", "authorization: Bearer s3cret\r\n", body)).read();
    }
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("www-authenticate")).isEqualTo("Bearer");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(right.status()).isEqualTo(200);

    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", receiver.grpcAddress().getPort()).usePlaintext().build();
    try {
      var stub = MetricsServiceGrpc.newBlockingStub(channel);
      assertThatThrownBy(() -> stub.export(OtlpRequests.gauge("g", 1)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED));
      Metadata token = new Metadata();
      token.put(GrpcAdmission.AUTHORIZATION, "Bearer s3cret");
      stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token)).export(OtlpRequests.gauge("g", 1));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(receiver.stats().refused(Signal.METRICS, RefusalReason.UNAUTHORIZED)).isEqualTo(3);
    assertThat(receiver.stats().accepted(Signal.METRICS)).isEqualTo(2);
  }

  @Test
  void grpc_messageOverMaxBody_isResourceExhausted_andOverBudget_isUnavailableWithRetryInfo() throws Exception {
    InetSocketAddress http = start(settings());
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", receiver.grpcAddress().getPort()).usePlaintext().build();
    try (RawHttp slow = new RawHttp(http, 5_000)) {
      var stub = MetricsServiceGrpc.newBlockingStub(channel);
      assertThatThrownBy(() -> stub.export(OtlpRequests.gauge("g", 10_000)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED));

      // An HTTP request that declared a large body holds most of the budget.
      slow.send("POST /v1/metrics HTTP/1.1\r\nhost: t\r\ncontent-type: application/x-protobuf\r\ncontent-length: 200000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(100);
      assertThatThrownBy(() -> stub.export(OtlpRequests.gauge("g", 1)))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                com.google.rpc.Status detail = StatusProto.fromThrowable(e);
                assertThat(detail).isNotNull();
                assertThat(detail.getDetailsList()).anySatisfy(any -> assertThat(any.is(RetryInfo.class)).isTrue());
              });
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    Thread.sleep(100);
    assertThat(receiver.stats().refused(Signal.METRICS, RefusalReason.TOO_LARGE)).isEqualTo(1);
    assertThat(receiver.stats().refused(Signal.METRICS, RefusalReason.OVERLOADED)).isEqualTo(1);
  }

  @Test
  void tls_servesHttpsAndGrpcWithTheConfiguredCertificate(@TempDir Path dir) throws Exception {
    SelfSignedPem pem = SelfSignedPem.create(dir);
    InetSocketAddress http = start(settings().withTls(pem.cert, pem.key));

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("receiver", CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem.certPem)));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<byte[]> r =
        client.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + http.getPort() + "/v1/metrics"))
                .header("content-type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(metrics(3)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);

    OtlpGrpcMetricExporter exporter =
        OtlpGrpcMetricExporter.builder()
            .setEndpoint("https://localhost:" + receiver.grpcAddress().getPort())
            .setTrustedCertificates(pem.certPem)
            .build();
    PeriodicMetricReader reader = PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build();
    try (SdkMeterProvider sender = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      sender.get("tls").counterBuilder("tls.requests").build().add(9, Attributes.empty());
      assertThat(sender.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(sink.metric("tls.requests").getLongSumData().getPoints().iterator().next().getValue()).isEqualTo(9);
  }
}
