package io.gopherlens.receiver;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decoding and ingest run here, off the event loops, behind a short bounded queue: the event
 * loops keep reading and answering, and a request that finds the queue full is refused at once
 * as retryable (429 / UNAVAILABLE) instead of waiting behind seconds of work. Under overload
 * senders are told to back off while the requests taken keep a short, bounded latency.
 */
final class IngestWorkers implements AutoCloseable {
  /** Requests waiting per worker: enough to keep workers busy between reads, little latency. */
  static final int QUEUE_PER_WORKER = 4;

  private final Executor executor;
  private final ThreadPoolExecutor pool; // null when running on a caller-supplied executor

  IngestWorkers(int threads) {
    AtomicInteger n = new AtomicInteger();
    pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(threads * QUEUE_PER_WORKER),
            r -> {
              Thread t = new Thread(r, "gopherlens-otlp-ingest-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    executor = pool;
  }

  /** Runs tasks on {@code executor} (tests: the calling thread). */
  IngestWorkers(Executor executor) {
    this.executor = executor;
    this.pool = null;
  }

  /** False when the queue is full: the caller refuses the request. */
  boolean trySubmit(Runnable task) {
    try {
      executor.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
