package io.gopherlens.receiver;

import io.gopherlens.log.Log;
import io.gopherlens.pipeline.TelemetrySink;
import io.opentelemetry.api.metrics.Meter;
import java.net.InetSocketAddress;

/**
 * gopherlens as an OTLP target: OTLP/HTTP and OTLP/gRPC listeners that decode what other
 * exporters send and hand it to a {@link TelemetrySink}, within one shared in-flight budget.
 *
 * <pre>{@code
 * OtlpReceiver receiver = new OtlpReceiver(ReceiverSettings.defaults(), sink);
 * receiver.registerMetrics(meter);
 * receiver.start();
 * }</pre>
 */
public final class OtlpReceiver implements AutoCloseable {
  private static final Log LOG = Log.of(OtlpReceiver.class);

  private final ReceiverSettings settings;
  private final InflightBudget budget;
  private final ReceiverStats stats = new ReceiverStats();
  private final OtlpIngest ingest;
  private IngestWorkers workers;
  private OtlpHttpServer http;
  private OtlpGrpcServer grpc;

  public OtlpReceiver(ReceiverSettings settings, TelemetrySink sink) {
    this.settings = settings;
    this.budget = new InflightBudget(settings.maxInflightBytes());
    this.ingest = new OtlpIngest(sink, stats);
  }

  /** Counters of accepted and refused items and requests, and the bytes in flight. */
  public void registerMetrics(Meter meter) {
    stats.register(meter, budget);
  }

  /** Binds the enabled listeners; throws IllegalStateException / IllegalArgumentException naming what failed. */
  public synchronized OtlpReceiver start() {
    BearerAuth auth = new BearerAuth(settings.bearerToken());
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    workers = new IngestWorkers(threads);
    try {
      if (settings.httpListen() != null) {
        http = new OtlpHttpServer(settings, ReceiverTls.http(settings), auth, budget, stats, ingest, workers, threads);
        http.start();
      }
      if (settings.grpcListen() != null) {
        grpc = new OtlpGrpcServer(settings, ReceiverTls.grpc(settings), new GrpcAdmission(settings, auth, budget, stats), ingest, workers, stats, threads);
        grpc.start();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info(
        "OTLP receiver started",
        "http", http == null ? "off" : http.address().toString(),
        "grpc", grpc == null ? "off" : grpc.address().toString(),
        "tls", settings.tlsCert() != null,
        "auth", auth.required());
    return this;
  }

  /** Null when OTLP/HTTP is off. */
  public InetSocketAddress httpAddress() {
    return http == null ? null : http.address();
  }

  /** Null when OTLP/gRPC is off. */
  public InetSocketAddress grpcAddress() {
    return grpc == null ? null : grpc.address();
  }

  public ReceiverStats stats() {
    return stats;
  }

  public InflightBudget budget() {
    return budget;
  }

  @Override
  public synchronized void close() {
    if (http != null) {
      http.close();
      http = null;
    }
    if (grpc != null) {
      grpc.close();
      grpc = null;
    }
    if (workers != null) {
      workers.close();
      workers = null;
    }
  }
}
