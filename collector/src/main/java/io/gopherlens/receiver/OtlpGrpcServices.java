package io.gopherlens.receiver;

import com.google.protobuf.Message;
import io.gopherlens.log.Log;
import io.gopherlens.log.RateLimit;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The three OTLP gRPC services (generated stubs of opentelemetry-proto) over one ingest, run on
 * {@link IngestWorkers}; a full queue answers UNAVAILABLE with a RetryInfo.
 */
final class OtlpGrpcServices {
  private static final Log LOG = Log.of(OtlpGrpcServices.class);
  private static final RateLimit ERROR_LOGS = new RateLimit(0.2, 3);

  private OtlpGrpcServices() {}

  static List<BindableService> of(OtlpIngest ingest, IngestWorkers workers, ReceiverStats stats, Duration retryAfter) {
    Handoff handoff = new Handoff(workers, stats, retryAfter);
    return List.of(
        new MetricsServiceGrpc.MetricsServiceImplBase() {
          @Override
          public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> out) {
            handoff.answer(Signal.METRICS, () -> ingest.metrics(request), out);
          }
        },
        new LogsServiceGrpc.LogsServiceImplBase() {
          @Override
          public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> out) {
            handoff.answer(Signal.LOGS, () -> ingest.logs(request), out);
          }
        },
        new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> out) {
            handoff.answer(Signal.TRACES, () -> ingest.traces(request), out);
          }
        });
  }

  private record Handoff(IngestWorkers workers, ReceiverStats stats, Duration retryAfter) {
    <R extends Message> void answer(Signal signal, Supplier<R> ingest, StreamObserver<R> out) {
      if (!workers.trySubmit(() -> run(signal, ingest, out))) {
        stats.countRefused(signal, RefusalReason.OVERLOADED);
        out.onError(GrpcAdmission.unavailable("receiver is busy (every ingest worker has a full queue); retry later", retryAfter));
      }
    }
  }

  private static <R extends Message> void run(Signal signal, Supplier<R> ingest, StreamObserver<R> out) {
    R response;
    try {
      response = ingest.get();
    } catch (RuntimeException e) {
      if (ERROR_LOGS.tryAcquire()) {
        LOG.warn("failed to ingest an OTLP/gRPC request; answering INTERNAL", "signal", signal.label(), "error", e.toString());
      }
      out.onError(Status.INTERNAL.withDescription("internal error: " + e).asRuntimeException());
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }
}
