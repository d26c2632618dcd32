package io.gopherlens.receiver;

import com.google.protobuf.Message;
import io.gopherlens.log.Log;
import io.gopherlens.log.RateLimit;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The three OTLP gRPC services over one ingest, run on {@link IngestWorkers}: logs and traces
 * through the generated stubs of opentelemetry-proto, metrics through {@link
 * FastMetricsMarshaller}. A full queue answers UNAVAILABLE with a RetryInfo.
 */
final class OtlpGrpcServices {
  private static final Log LOG = Log.of(OtlpGrpcServices.class);
  private static final RateLimit ERROR_LOGS = new RateLimit(0.2, 3);

  private OtlpGrpcServices() {}

  static List<ServerServiceDefinition> of(OtlpIngest ingest, IngestWorkers workers, ReceiverStats stats, Duration retryAfter) {
    Handoff handoff = new Handoff(workers, stats, retryAfter);
    return List.of(
        metrics(ingest, handoff),
        new LogsServiceGrpc.LogsServiceImplBase() {
          @Override
          public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> out) {
            handoff.answer(Signal.LOGS, () -> ingest.logs(request), out);
          }
        }.bindService(),
        new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> out) {
            handoff.answer(Signal.TRACES, () -> ingest.traces(request), out);
          }
        }.bindService());
  }

  /**
   * MetricsService/Export with the request decoded by {@link FastMetricsMarshaller} (the same
   * method name and response type as the generated service, a different request marshaller).
   */
  private static ServerServiceDefinition metrics(OtlpIngest ingest, Handoff handoff) {
    MethodDescriptor<Converted<MetricData>, ExportMetricsServiceResponse> export =
        MetricsServiceGrpc.getExportMethod().toBuilder(new FastMetricsMarshaller(), ProtoUtils.marshaller(ExportMetricsServiceResponse.getDefaultInstance())).build();
    return ServerServiceDefinition.builder(MetricsServiceGrpc.SERVICE_NAME)
        .addMethod(export, ServerCalls.asyncUnaryCall((request, out) -> handoff.answer(Signal.METRICS, () -> ingest.metrics(request), out)))
        .build();
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
