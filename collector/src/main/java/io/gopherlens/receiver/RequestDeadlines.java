package io.gopherlens.receiver;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Deadlines against slow clients (slowloris), per connection, placed before the HTTP codec so
 * it sees a request's first byte: its headers must be complete within the header timeout and
 * its body within the read timeout of that byte, and a connection between requests may stay
 * silent for the idle timeout. A late request gets 408 and the connection is closed.
 */
final class RequestDeadlines extends ChannelInboundHandlerAdapter {
  private static final byte[] REQUEST_TIMEOUT =
      ("HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\nconnection: close\r\ncontent-length: 44\r\n\r\n"
              + "request not received in time; send it faster")
          .getBytes(StandardCharsets.US_ASCII);

  private enum State {
    IDLE,
    READING,
    PROCESSING, // read in full, being decoded: no deadline applies until it is answered
    ANSWERED
  }

  private final Duration headerTimeout;
  private final Duration readTimeout;
  private final Duration idleTimeout;
  private final Consumer<ChannelHandlerContext> onTimeout;
  private State state = State.IDLE;
  private boolean headersDone;
  private ScheduledFuture<?> headerTimer;
  private ScheduledFuture<?> readTimer;
  private ScheduledFuture<?> idleTimer;

  /** {@code onTimeout} counts a timed-out request (the signal is unknown before the headers). */
  RequestDeadlines(Duration headerTimeout, Duration readTimeout, Duration idleTimeout, Consumer<ChannelHandlerContext> onTimeout) {
    this.headerTimeout = headerTimeout;
    this.readTimeout = readTimeout;
    this.idleTimeout = idleTimeout;
    this.onTimeout = onTimeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    armIdle(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.IDLE) {
      state = State.READING;
      headersDone = false;
      cancel(idleTimer);
      headerTimer = schedule(ctx, headerTimeout, true);
      readTimer = schedule(ctx, readTimeout, false);
    }
    ctx.fireChannelRead(msg);
  }

  /** The codec produced the request's headers. */
  void headersReceived() {
    headersDone = true;
    cancel(headerTimer);
  }

  /** The request's last byte arrived; it is the receiver's turn now. */
  void bodyReceived() {
    cancel(headerTimer);
    cancel(readTimer);
    state = State.PROCESSING;
  }

  /** The request was answered; a rejected request may still be draining its body. */
  void answered() {
    state = State.ANSWERED;
  }

  /** The request's last byte arrived and its response was written: back to waiting. */
  void requestDone(ChannelHandlerContext ctx) {
    cancel(headerTimer);
    cancel(readTimer);
    state = State.IDLE;
    armIdle(ctx);
  }

  private ScheduledFuture<?> schedule(ChannelHandlerContext ctx, Duration d, boolean forHeaders) {
    return ctx.executor().schedule(() -> expired(ctx, forHeaders), d.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void expired(ChannelHandlerContext ctx, boolean forHeaders) {
    if (!ctx.channel().isActive() || (forHeaders && headersDone) || state == State.IDLE || state == State.PROCESSING) {
      return;
    }
    if (state == State.ANSWERED) {
      ctx.close(); // the response is out; stop draining a body that is not coming
      return;
    }
    onTimeout.accept(ctx);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
  }

  private void armIdle(ChannelHandlerContext ctx) {
    cancel(idleTimer);
    idleTimer =
        ctx.executor()
            .schedule(
                () -> {
                  if (state == State.IDLE) ctx.close();
                },
                idleTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel(headerTimer);
    cancel(readTimer);
    cancel(idleTimer);
    ctx.fireChannelInactive();
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) f.cancel(false);
  }
}
