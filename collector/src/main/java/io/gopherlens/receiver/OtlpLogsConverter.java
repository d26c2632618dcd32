package io.gopherlens.receiver;

import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * An OTLP logs request to SDK {@link LogRecordData}. Records whose trace or span id has the
 * wrong length, or whose severity number is outside the spec's 0..24, are rejected and counted.
 */
final class OtlpLogsConverter {
  private static final Severity[] SEVERITIES = Severity.values();

  private OtlpLogsConverter() {}

  static Converted<LogRecordData> convert(ExportLogsServiceRequest request) {
    List<LogRecordData> out = new ArrayList<>();
    Rejections rejected = new Rejections();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Resource resource;
      try {
        resource = OtlpAttributes.resource(rl.getResource(), rl.getSchemaUrl());
      } catch (IllegalArgumentException e) {
        // The SDK refuses resource attribute keys that are not printable ASCII of 1..255 chars.
        rejected.reject(rl.getScopeLogsList().stream().mapToLong(ScopeLogs::getLogRecordsCount).sum(), "resource: " + e.getMessage());
        continue;
      }
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        InstrumentationScopeInfo scope = OtlpAttributes.scope(sl.getScope(), sl.getSchemaUrl());
        for (LogRecord r : sl.getLogRecordsList()) {
          String problem = problem(r);
          if (problem != null) {
            rejected.reject(1, problem);
            continue;
          }
          out.add(record(resource, scope, r));
        }
      }
    }
    return new Converted<>(out, out.size(), rejected.count(), rejected.first());
  }

  private static String problem(LogRecord r) {
    int trace = r.getTraceId().size();
    int span = r.getSpanId().size();
    if (trace != 0 && trace != 16) {
      return "log record with a " + trace + "-byte trace id (must be 16 bytes or empty)";
    }
    if (span != 0 && span != 8) {
      return "log record with a " + span + "-byte span id (must be 8 bytes or empty)";
    }
    if (r.getSeverityNumberValue() < 0 || r.getSeverityNumberValue() >= SEVERITIES.length) {
      return "log record with severity number " + r.getSeverityNumberValue() + " (must be 0..24)";
    }
    return null;
  }

  private static LogRecordData record(Resource resource, InstrumentationScopeInfo scope, LogRecord r) {
    SpanContext span = OtlpMetricsConverter.spanContext(r.getTraceId(), r.getSpanId(), r.getFlags() & 0xff);
    Value<?> body = r.hasBody() ? OtlpAttributes.value(r.getBody()) : null;
    return new ReceivedLogRecord(
        resource,
        scope,
        r.getTimeUnixNano(),
        r.getObservedTimeUnixNano(),
        span,
        SEVERITIES[r.getSeverityNumberValue()],
        r.getSeverityText().isEmpty() ? null : r.getSeverityText(),
        body,
        OtlpAttributes.of(r.getAttributesList()),
        r.getAttributesCount() + r.getDroppedAttributesCount(),
        r.getEventName().isEmpty() ? null : r.getEventName());
  }
}
