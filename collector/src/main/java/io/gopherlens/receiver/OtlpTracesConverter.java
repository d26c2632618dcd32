package io.gopherlens.receiver;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/**
 * Traces are forwarded as serialized OTLP (the agent keeps no spans), so this only counts spans
 * and drops those whose ids have the wrong length; the request is re-encoded only when it drops.
 */
final class OtlpTracesConverter {
  private OtlpTracesConverter() {}

  /** One item: the request to forward, or no item when every span was rejected. */
  static Converted<ExportTraceServiceRequest> convert(ExportTraceServiceRequest request) {
    long total = 0;
    long invalid = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          total++;
          if (!valid(s)) invalid++;
        }
      }
    }
    if (invalid == 0) {
      return new Converted<>(total == 0 ? List.of() : List.of(request), total, 0, null);
    }
    String why = "span with a trace id that is not 16 bytes or a span id that is not 8 bytes";
    if (invalid == total) {
      return new Converted<>(List.of(), 0, invalid, why);
    }
    ExportTraceServiceRequest.Builder kept = request.toBuilder();
    for (ResourceSpans.Builder rs : kept.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        List<Span> valid = ss.getSpansList().stream().filter(OtlpTracesConverter::valid).toList();
        ss.clearSpans().addAllSpans(valid);
      }
    }
    return new Converted<>(List.of(kept.build()), total - invalid, invalid, why);
  }

  private static boolean valid(Span s) {
    int parent = s.getParentSpanId().size();
    return s.getTraceId().size() == 16 && s.getSpanId().size() == 8 && (parent == 0 || parent == 8);
  }
}
