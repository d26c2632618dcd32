package io.gopherlens.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes an OTLP/gRPC ExportMetricsServiceRequest straight to SDK data, as OTLP/HTTP does: the
 * wire fast path, else the generated parser and converter. gRPC has already bounded the message
 * by receiver.max_body. A message that does not parse is INTERNAL, as with gRPC's own marshaller.
 */
final class FastMetricsMarshaller implements MethodDescriptor.Marshaller<Converted<MetricData>> {
  @Override
  public Converted<MetricData> parse(InputStream stream) {
    try {
      byte[] bytes = stream.readAllBytes();
      return OtlpMetricsWireDecoder.convert(bytes, 0, bytes.length);
    } catch (InvalidProtocolBufferException e) {
      throw Status.INTERNAL.withDescription("Invalid protobuf byte sequence: " + e.getMessage()).withCause(e).asRuntimeException();
    } catch (IOException e) {
      throw Status.INTERNAL.withDescription("cannot read the request message: " + e).withCause(e).asRuntimeException();
    }
  }

  /** The server only receives requests; it never sends one. */
  @Override
  public InputStream stream(Converted<MetricData> value) {
    throw new UnsupportedOperationException("the receiver does not send metrics requests");
  }
}
