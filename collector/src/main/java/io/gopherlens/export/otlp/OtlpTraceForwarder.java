package io.gopherlens.export.otlp;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * Forwards serialized {@code ExportTraceServiceRequest}s as they were received (the agent makes
 * no spans of its own, so nothing is decoded), over the same OkHttp senders the SDK's OTLP
 * exporters use. At most {@link #MAX_IN_FLIGHT} requests are outstanding; the rest are counted.
 */
public final class OtlpTraceForwarder {
  public static final String GRPC_METHOD = "opentelemetry.proto.collector.trace.v1.TraceService/Export";
  static final int MAX_IN_FLIGHT = 32;

  private final OtlpTarget target;
  private final GrpcSender grpc;
  private final HttpSender http;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final BiConsumer<OtlpTarget, Throwable> onFailure;

  /** @param onFailure told of every request that failed, with the cause (null: an error status) */
  public OtlpTraceForwarder(OtlpTarget target, BiConsumer<OtlpTarget, Throwable> onFailure) {
    this.target = target;
    this.onFailure = onFailure;
    Supplier<Map<String, List<String>>> headers =
        () -> target.headers().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    Compressor compressor = target.gzip() ? new Gzip() : null;
    if (target.protocol() == OtlpTarget.Protocol.GRPC) {
      GrpcSenderProvider provider =
          ServiceLoader.load(GrpcSenderProvider.class).findFirst().orElseThrow(() -> missing("gRPC"));
      grpc = provider.createSender(new GrpcConfig(target.url(), compressor, target.timeout(), headers));
      http = null;
    } else {
      HttpSenderProvider provider =
          ServiceLoader.load(HttpSenderProvider.class).findFirst().orElseThrow(() -> missing("HTTP"));
      http = provider.createSender(new HttpConfig(target.url(), compressor, target.timeout(), headers));
      grpc = null;
    }
  }

  private static IllegalStateException missing(String kind) {
    return new IllegalStateException(
        "no OTLP " + kind + " sender on the class path (opentelemetry-exporter-sender-okhttp): the jar is incomplete, rebuild it");
  }

  /** Sends one request; false when it was dropped because too many are outstanding. */
  public boolean forward(byte[] exportTraceServiceRequest) {
    if (!inFlight.tryAcquire()) return false;
    MessageWriter body = new Bytes(exportTraceServiceRequest);
    Runnable done = inFlight::release;
    if (grpc != null) {
      grpc.send(
          body,
          r -> {
            done.run();
            if (r.getStatusCode() != GrpcStatusCode.OK) {
              onFailure.accept(target, new IOException("gRPC status " + r.getStatusCode() + " " + r.getStatusDescription()));
            }
          },
          e -> {
            done.run();
            onFailure.accept(target, e);
          });
    } else {
      http.send(
          body,
          r -> {
            done.run();
            if (r.getStatusCode() / 100 != 2) {
              onFailure.accept(target, new IOException("HTTP status " + r.getStatusCode()));
            }
          },
          e -> {
            done.run();
            onFailure.accept(target, e);
          });
    }
    return true;
  }

  public CompletableResultCode shutdown() {
    return grpc != null ? grpc.shutdown() : http.shutdown();
  }

  @Override
  public String toString() {
    return "otlp_traces " + target;
  }

  private record Bytes(byte[] bytes) implements MessageWriter {
    @Override
    public void writeMessage(OutputStream out) throws IOException {
      out.write(bytes);
    }

    @Override
    public int getContentLength() {
      return bytes.length;
    }
  }

  private static final class Gzip implements Compressor {
    @Override
    public String getEncoding() {
      return "gzip";
    }

    @Override
    public OutputStream compress(OutputStream out) throws IOException {
      return new GZIPOutputStream(out);
    }
  }

  /** No retries (the sender of the traces retries), default TLS, the sender's own executor. */
  private record GrpcConfig(URI url, Compressor compressor, Duration timeout, Supplier<Map<String, List<String>>> headers)
      implements GrpcSenderConfig {
    @Override public URI getEndpoint() { return url; }
    @Override public String getFullMethodName() { return GRPC_METHOD; }
    @Override public Compressor getCompressor() { return compressor; }
    @Override public Duration getTimeout() { return timeout; }
    @Override public Duration getConnectTimeout() { return timeout; }
    @Override public Supplier<Map<String, List<String>>> getHeadersSupplier() { return headers; }
    @Override public RetryPolicy getRetryPolicy() { return null; }
    @Override public SSLContext getSslContext() { return null; }
    @Override public X509TrustManager getTrustManager() { return null; }
    @Override public ExecutorService getExecutorService() { return null; }
  }

  private record HttpConfig(URI url, Compressor compressor, Duration timeout, Supplier<Map<String, List<String>>> headers)
      implements HttpSenderConfig {
    @Override public URI getEndpoint() { return url; }
    @Override public String getContentType() { return "application/x-protobuf"; }
    @Override public Compressor getCompressor() { return compressor; }
    @Override public Duration getTimeout() { return timeout; }
    @Override public Duration getConnectTimeout() { return timeout; }
    @Override public Supplier<Map<String, List<String>>> getHeadersSupplier() { return headers; }
    @Override public ProxyOptions getProxyOptions() { return null; }
    @Override public RetryPolicy getRetryPolicy() { return null; }
    @Override public SSLContext getSslContext() { return null; }
    @Override public X509TrustManager getTrustManager() { return null; }
    @Override public ExecutorService getExecutorService() { return null; }
  }
}
