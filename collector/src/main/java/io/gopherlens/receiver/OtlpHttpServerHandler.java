package io.gopherlens.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.gopherlens.log.Log;
import io.gopherlens.log.RateLimit;
import io.netty.buffer.ByteBuf;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;

/**
 * Decodes an admitted OTLP/HTTP request (gunzip within limits, protobuf or JSON), ingests it and
 * answers. The work runs on {@link IngestWorkers}; the connection stops reading until the answer
 * is written, so a pipelining client still gets its answers in order. A full queue is a 429.
 */
@ChannelHandler.Sharable
final class OtlpHttpServerHandler extends SimpleChannelInboundHandler<OtlpHttpRequest> {
  private static final Log LOG = Log.of(OtlpHttpServerHandler.class);

  private final OtlpIngest ingest;
  private final ReceiverSettings settings;
  private final InflightBudget budget;
  private final ReceiverStats stats;
  private final IngestWorkers workers;
  private final RateLimit errorLogs = new RateLimit(0.2, 3);

  OtlpHttpServerHandler(OtlpIngest ingest, IngestWorkers workers, ReceiverSettings settings, InflightBudget budget, ReceiverStats stats) {
    this.ingest = ingest;
    this.workers = workers;
    this.settings = settings;
    this.budget = budget;
    this.stats = stats;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, OtlpHttpRequest request) {
    ctx.channel().config().setAutoRead(false);
    if (!workers.trySubmit(() -> answer(ctx, request, process(ctx, request)))) {
      request.body().release();
      budget.release(request.reservedBytes());
      answer(ctx, request, refuse(ctx, request, RefusalReason.OVERLOADED, HttpResponseStatus.TOO_MANY_REQUESTS,
          "receiver is busy (every ingest worker has a full queue); retry after the Retry-After delay"));
    }
  }

  private void answer(ChannelHandlerContext ctx, OtlpHttpRequest request, FullHttpResponse response) {
    ctx.writeAndFlush(response)
        .addListener(
            written -> {
              // Runs on the event loop: the deadlines and the read resume belong to it.
              ctx.pipeline().get(RequestDeadlines.class).requestDone(ctx);
              if (request.keepAlive() && written.isSuccess()) {
                ctx.channel().config().setAutoRead(true);
              } else {
                ctx.close();
              }
            });
  }

  /** Decodes and ingests; the response to send. Releases the body and its reservation. */
  private FullHttpResponse process(ChannelHandlerContext ctx, OtlpHttpRequest request) {
    long[] reserved = {request.reservedBytes()};
    ByteBuf body = request.body();
    FullHttpResponse response;
    try {
      if (request.gzip()) {
        ByteBuf inflated =
            BoundedGunzip.inflate(
                ctx.alloc(),
                body,
                (int) settings.maxDecompressed(),
                n -> {
                  if (!budget.tryAcquire(n)) return false;
                  reserved[0] += n;
                  return true;
                });
        body.release();
        body = inflated;
      }
      response = OtlpHttpResponses.success(request.encoding(), decodeAndIngest(request, body), request.keepAlive());
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      // IllegalArgumentException: JsonFormat's verdict on some malformed values.
      response = refuse(ctx, request, RefusalReason.MALFORMED, HttpResponseStatus.BAD_REQUEST, "cannot decode the " + request.signal().label() + " request: " + e.getMessage());
    } catch (IOException e) {
      response = refuse(ctx, request, RefusalReason.MALFORMED, HttpResponseStatus.BAD_REQUEST, "body is not valid gzip: " + e.getMessage());
    } catch (BoundedGunzip.Refused e) {
      response =
          e.tooLarge
              ? refuse(ctx, request, RefusalReason.TOO_LARGE, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage() + "; send smaller batches")
              : refuse(ctx, request, RefusalReason.OVERLOADED, HttpResponseStatus.TOO_MANY_REQUESTS, e.getMessage() + "; retry after the Retry-After delay");
    } catch (RuntimeException e) {
      if (errorLogs.tryAcquire()) {
        LOG.warn("failed to ingest an OTLP request; answering 500", "signal", request.signal().label(), "error", e.toString());
      }
      response = OtlpHttpResponses.error(ctx.alloc(), request.encoding(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e, settings.retryAfter(), request.keepAlive());
    } finally {
      body.release();
      budget.release(reserved[0]);
    }
    return response;
  }

  private Message decodeAndIngest(OtlpHttpRequest request, ByteBuf body) throws InvalidProtocolBufferException {
    byte[] array = body.array();
    int offset = body.arrayOffset() + body.readerIndex();
    int length = body.readableBytes();
    if (request.signal() == Signal.METRICS && request.encoding() == OtlpEncoding.PROTOBUF) {
      Converted<MetricData> fast = OtlpMetricsWireDecoder.decode(array, offset, length);
      if (fast != null) {
        return ingest.metrics(fast);
      }
    }
    return ingest.ingest(request.signal(), request.encoding().parse(request.signal(), array, offset, length));
  }

  private FullHttpResponse refuse(ChannelHandlerContext ctx, OtlpHttpRequest request, RefusalReason reason, HttpResponseStatus status, String message) {
    stats.countRefused(request.signal(), reason);
    return OtlpHttpResponses.error(ctx.alloc(), request.encoding(), status, message, settings.retryAfter(), request.keepAlive());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A client hanging up mid-request is routine; anything else is worth a (throttled) line.
    if (!(cause instanceof IOException) && errorLogs.tryAcquire()) {
      LOG.warn("closing an OTLP/HTTP connection after an error", "error", cause.toString(), "remote", String.valueOf(ctx.channel().remoteAddress()));
    }
    ctx.close();
  }
}
