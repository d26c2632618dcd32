package io.gopherlens.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;

/** The two OTLP/HTTP encodings: binary protobuf and the OTLP JSON mapping. */
enum OtlpEncoding {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  // The spec asks receivers to ignore unknown JSON fields, for forward compatibility.
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  final String contentType;

  OtlpEncoding(String contentType) {
    this.contentType = contentType;
  }

  /** The encoding a Content-Type header names (parameters such as charset ignored), or null. */
  static OtlpEncoding forContentType(String header) {
    if (header == null) {
      return null;
    }
    int semicolon = header.indexOf(';');
    String type = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
    for (OtlpEncoding e : values()) {
      if (e.contentType.equalsIgnoreCase(type)) return e;
    }
    return null;
  }

  /**
   * Decodes an export request of {@code signal} from {@code length} bytes of {@code array}.
   *
   * @throws InvalidProtocolBufferException on anything that is not a valid request
   */
  Message parse(Signal signal, byte[] array, int offset, int length) throws InvalidProtocolBufferException {
    if (this == PROTOBUF) {
      return parser(signal).parseFrom(array, offset, length);
    }
    Message.Builder builder = builder(signal);
    PARSER.merge(OtlpJsonIds.toProto3Json(new String(array, offset, length, StandardCharsets.UTF_8)), builder);
    return builder.build();
  }

  byte[] encode(Message m) {
    if (this == PROTOBUF) {
      return m.toByteArray();
    }
    try {
      return PRINTER.print(m).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + m.getDescriptorForType().getFullName() + " as JSON", e);
    }
  }

  private static Parser<? extends Message> parser(Signal signal) {
    return switch (signal) {
      case METRICS -> ExportMetricsServiceRequest.parser();
      case LOGS -> ExportLogsServiceRequest.parser();
      case TRACES -> ExportTraceServiceRequest.parser();
    };
  }

  private static Message.Builder builder(Signal signal) {
    return switch (signal) {
      case METRICS -> ExportMetricsServiceRequest.newBuilder();
      case LOGS -> ExportLogsServiceRequest.newBuilder();
      case TRACES -> ExportTraceServiceRequest.newBuilder();
    };
  }
}
