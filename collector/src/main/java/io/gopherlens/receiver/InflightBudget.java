package io.gopherlens.receiver;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory the receiver may hold for requests at once, shared by OTLP/HTTP and OTLP/gRPC.
 * A request reserves its bytes before they are buffered and releases them once answered; when
 * the budget is spent the request is refused as retryable (429 / UNAVAILABLE) instead of
 * queued, so a burst costs senders a retry, not the agent its heap.
 */
public final class InflightBudget {
  private final long maxBytes;
  private final AtomicLong inUse = new AtomicLong();

  public InflightBudget(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("in-flight byte budget must be positive, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** Reserves {@code bytes}; false (and nothing reserved) when that would exceed the budget. */
  public boolean tryAcquire(long bytes) {
    while (true) {
      long now = inUse.get();
      if (now + bytes > maxBytes) {
        return false;
      }
      if (inUse.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  public void release(long bytes) {
    inUse.addAndGet(-bytes);
  }

  public long inUseBytes() {
    return inUse.get();
  }

  public long maxBytes() {
    return maxBytes;
  }
}
