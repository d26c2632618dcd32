package io.gopherlens.receiver;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admission for OTLP/gRPC calls, before their message is read: the bearer token, then the
 * in-flight budget (a call reserves receiver.max_body, the most its message may hold, until it
 * ends; refused with UNAVAILABLE and a RetryInfo, which the spec makes retryable). Slow senders
 * are bounded by HTTP/2 flow control and the connection idle timeout. Its stream tracer counts the refusals gRPC itself
 * makes: RESOURCE_EXHAUSTED for a message over the size limit, INTERNAL for one that does not parse.
 */
final class GrpcAdmission extends ServerStreamTracer.Factory implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final BearerAuth auth;
  private final InflightBudget budget;
  private final ReceiverStats stats;
  private final long reservation;
  private final Duration retryAfter;

  GrpcAdmission(ReceiverSettings settings, BearerAuth auth, InflightBudget budget, ReceiverStats stats) {
    this.auth = auth;
    this.budget = budget;
    this.stats = stats;
    this.reservation = settings.maxBody();
    this.retryAfter = settings.retryAfter();
  }

  static Signal signal(String fullMethodName) {
    if (fullMethodName.startsWith("opentelemetry.proto.collector.metrics.")) return Signal.METRICS;
    if (fullMethodName.startsWith("opentelemetry.proto.collector.logs.")) return Signal.LOGS;
    if (fullMethodName.startsWith("opentelemetry.proto.collector.trace.")) return Signal.TRACES;
    return null;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Signal signal = signal(call.getMethodDescriptor().getFullMethodName());
    if (!auth.allows(headers.get(AUTHORIZATION))) {
      stats.countRefused(signal, RefusalReason.UNAUTHORIZED);
      call.close(Status.UNAUTHENTICATED.withDescription("missing or wrong bearer token; send authorization: Bearer <receiver token>"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (!budget.tryAcquire(reservation)) {
      stats.countRefused(signal, RefusalReason.OVERLOADED);
      StatusRuntimeException e =
          unavailable("receiver is at its in-flight limit (receiver.max_inflight_bytes = " + budget.maxBytes() + "); retry later", retryAfter);
      call.close(e.getStatus(), e.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) budget.release(reservation);
    };
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(call, headers);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onComplete() {
        release.run();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        release.run();
        super.onCancel();
      }
    };
  }

  /** UNAVAILABLE with a RetryInfo: retryable, after {@code retryAfter}, per the OTLP spec. */
  static StatusRuntimeException unavailable(String message, Duration retryAfter) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.UNAVAILABLE_VALUE)
            .setMessage(message)
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(Math.max(1, retryAfter.toSeconds())))
                        .build()))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    Signal signal = signal(fullMethodName);
    return new ServerStreamTracer() {
      @Override
      public void streamClosed(Status status) {
        switch (status.getCode()) {
          case RESOURCE_EXHAUSTED -> stats.countRefused(signal, RefusalReason.TOO_LARGE);
          case INTERNAL -> stats.countRefused(signal, RefusalReason.MALFORMED);
          default -> {}
        }
      }
    };
  }
}
