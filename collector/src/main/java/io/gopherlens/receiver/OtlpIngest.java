package io.gopherlens.receiver;

import com.google.protobuf.Message;
import io.gopherlens.pipeline.TelemetrySink;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;

/**
 * The transport-independent half of the receiver: converts a decoded export request, hands
 * what passed to the sink, counts, and builds the Export*ServiceResponse (partial_success when
 * anything was rejected). Shared by OTLP/HTTP and OTLP/gRPC.
 */
final class OtlpIngest {
  static final String NO_TRACE_DESTINATION =
      "this gopherlens has no trace destination (configure an OTLP exporter for traces); spans were not kept";

  private final TelemetrySink sink;
  private final ReceiverStats stats;

  OtlpIngest(TelemetrySink sink, ReceiverStats stats) {
    this.sink = sink;
    this.stats = stats;
  }

  ExportMetricsServiceResponse metrics(ExportMetricsServiceRequest request) {
    return metrics(OtlpMetricsConverter.convert(request));
  }

  /** Metrics already converted (by the wire decoder's fast path). */
  ExportMetricsServiceResponse metrics(Converted<MetricData> c) {
    if (!c.items().isEmpty()) {
      sink.acceptMetrics(c.items());
    }
    stats.items(Signal.METRICS, c.accepted(), c.rejected());
    ExportMetricsServiceResponse.Builder r = ExportMetricsServiceResponse.newBuilder();
    if (c.rejected() > 0) {
      r.setPartialSuccess(
          ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(c.rejected()).setErrorMessage(message(c, Signal.METRICS)));
    }
    return r.build();
  }

  ExportLogsServiceResponse logs(ExportLogsServiceRequest request) {
    Converted<LogRecordData> c = OtlpLogsConverter.convert(request);
    if (!c.items().isEmpty()) {
      sink.acceptLogs(c.items());
    }
    stats.items(Signal.LOGS, c.accepted(), c.rejected());
    ExportLogsServiceResponse.Builder r = ExportLogsServiceResponse.newBuilder();
    if (c.rejected() > 0) {
      r.setPartialSuccess(
          ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(c.rejected()).setErrorMessage(message(c, Signal.LOGS)));
    }
    return r.build();
  }

  ExportTraceServiceResponse traces(ExportTraceServiceRequest request) {
    Converted<ExportTraceServiceRequest> c = OtlpTracesConverter.convert(request);
    long accepted = c.accepted();
    long rejected = c.rejected();
    String error = rejected > 0 ? message(c, Signal.TRACES) : null;
    if (!c.items().isEmpty() && !sink.acceptTraces(c.items().get(0).toByteArray())) {
      stats.countRefused(Signal.TRACES, RefusalReason.NO_DESTINATION);
      rejected += accepted;
      accepted = 0;
      error = NO_TRACE_DESTINATION;
    }
    stats.items(Signal.TRACES, accepted, rejected);
    ExportTraceServiceResponse.Builder r = ExportTraceServiceResponse.newBuilder();
    if (rejected > 0) {
      r.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected).setErrorMessage(error));
    }
    return r.build();
  }

  /** Decodes and ingests one request of {@code signal}; the response message for it. */
  Message ingest(Signal signal, Message request) {
    return switch (signal) {
      case METRICS -> metrics((ExportMetricsServiceRequest) request);
      case LOGS -> logs((ExportLogsServiceRequest) request);
      case TRACES -> traces((ExportTraceServiceRequest) request);
    };
  }

  private static String message(Converted<?> c, Signal signal) {
    return c.rejected() + " " + signal.items + " rejected; first: " + c.firstError();
  }
}
