package io.gopherlens.export.loki;

import io.gopherlens.export.Backoff;
import io.gopherlens.export.ExportDrops;
import io.gopherlens.export.GrowableBytes;
import io.gopherlens.export.HttpPush;
import io.gopherlens.export.SnappyBlock;
import io.gopherlens.log.Log;
import io.gopherlens.log.RateLimit;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Log records to Loki's push API ({@code /loki/api/v1/push}), protobuf or JSON.
 *
 * <p>{@link #export} only queues: a sender thread takes batches of at most {@code maxBatchEntries}
 * (or whatever waited {@code maxBatchDelay}), sends them, and removes a batch from the queue only
 * when Loki answered 2xx, so batches leave in queue order and each stream's entries in timestamp
 * order. 429, 5xx and connection errors are retried with backoff for as long as it takes (the
 * queue absorbs the outage); other 4xx are rejections, logged with Loki's reason and dropped. The
 * queue is bounded (memory: {@code queueLimit} entries; spool: {@code spoolLimit} bytes on disk,
 * kept across restarts); what does not fit is counted in {@code
 * gopherlens.export.dropped{exporter="loki",reason}}.
 */
public final class LokiExporter implements LogRecordExporter {
  public static final String EXPORTER = "loki";
  public static final String QUEUE_FULL = "queue_full";
  public static final String SPOOL_FULL = "spool_full";
  public static final String SPOOL_CORRUPT = "spool_corrupt";
  public static final String REJECTED = "rejected";
  public static final String SHUTDOWN = "shutdown";

  private static final Log LOG = Log.of(LokiExporter.class);
  private static final long SYNC_INTERVAL_NANOS = 1_000_000_000L;

  private final HttpPush push;
  private final LokiFormat format;
  private final Map<String, String> protocolHeaders;
  private final Backoff backoff;
  private final int maxBatchEntries;
  private final long maxBatchDelayNanos;
  private final long shutdownGraceNanos;
  private final EntryQueue queue;
  private final boolean spooled;
  private final Supplier<MeterProvider> meterProvider;
  private final ExportDrops drops =
      new ExportDrops(EXPORTER, QUEUE_FULL, SPOOL_FULL, SPOOL_CORRUPT, REJECTED, SHUTDOWN);
  private final LokiEntryMapper mapper = new LokiEntryMapper();
  private final PushRequestEncoder protobuf = new PushRequestEncoder();
  private final JsonPushEncoder json = new JsonPushEncoder();
  private final SnappyBlock snappy = new SnappyBlock();
  private final RateLimit warnings = new RateLimit(0.1, 3);
  private final Thread sender;

  // Guarded by `this`: the sender waits on it for entries, flushes and shutdown.
  private long oldestQueuedNanos;
  private long lastSyncNanos = System.nanoTime();
  private final List<CompletableResultCode> flushes = new ArrayList<>();
  private long shutdownDeadline = Long.MAX_VALUE;
  private boolean closing;
  private final CompletableResultCode stopped = new CompletableResultCode();

  LokiExporter(LokiExporterBuilder b) {
    this.push = new HttpPush(b.endpoint, b.headers, b.timeout);
    this.format = b.format;
    this.protocolHeaders =
        b.format == LokiFormat.PROTOBUF
            ? Map.of("Content-Type", "application/x-protobuf", "Content-Encoding", "snappy", "User-Agent", "gopherlens")
            : Map.of("Content-Type", "application/json", "User-Agent", "gopherlens");
    this.backoff = new Backoff(b.initialBackoff, b.maxBackoff);
    this.maxBatchEntries = b.maxBatchEntries;
    this.maxBatchDelayNanos = b.maxBatchDelay.toNanos();
    this.shutdownGraceNanos = b.timeout.toNanos();
    this.meterProvider = b.meterProvider;
    if (b.spoolDirectory != null) {
      Spool spool = new Spool(b.spoolDirectory, b.spoolLimitBytes);
      drops.add(SPOOL_CORRUPT, spool.corruptRecords());
      this.queue = spool;
      this.spooled = true;
    } else {
      this.queue = new MemoryQueue(b.queueLimit);
      this.spooled = false;
    }
    // Replayed entries have waited long enough.
    this.oldestQueuedNanos = System.nanoTime() - maxBatchDelayNanos;
    this.sender = new Thread(this::run, "gopherlens-loki-sender");
    sender.setDaemon(true);
    sender.start();
  }

  public static LokiExporterBuilder builder() {
    return new LokiExporterBuilder();
  }

  /** What this exporter dropped, by reason (the constants of this class). */
  public ExportDrops drops() {
    return drops;
  }

  /** Entries accepted and not yet acknowledged by Loki. */
  public int queued() {
    return queue.size();
  }

  /** Queues the records; fails (after queueing what fits) if some did not fit. */
  @Override
  public CompletableResultCode export(Collection<LogRecordData> records) {
    drops.register(meterProvider);
    int dropped = 0;
    synchronized (this) {
      if (closing || stopped.isDone()) {
        // After shutdown, or if the sender died (logged as an error): nothing would send these.
        drops.add(SHUTDOWN, records.size());
        return CompletableResultCode.ofFailure();
      }
      boolean wasEmpty = queue.size() == 0;
      for (LogRecordData record : records) {
        if (!queue.offer(mapper.map(record))) {
          dropped++;
        }
      }
      if (wasEmpty) {
        oldestQueuedNanos = System.nanoTime();
      }
      notifyAll();
    }
    if (dropped > 0) {
      drops.add(spooled ? SPOOL_FULL : QUEUE_FULL, dropped);
      if (warnings.tryAcquire()) {
        LOG.warn("Loki queue full; log entries dropped", "endpoint", push.endpoint(), "dropped", dropped,
            "fix", spooled ? "raise the spool limit or check why Loki is not accepting pushes"
                : "raise the queue limit, configure a spool, or check why Loki is not accepting pushes");
      }
      return CompletableResultCode.ofFailure();
    }
    return CompletableResultCode.ofSuccess();
  }

  /** Completes when everything queued so far has been acknowledged (or dropped as rejected). */
  @Override
  public synchronized CompletableResultCode flush() {
    if (queue.size() == 0) {
      return CompletableResultCode.ofSuccess();
    }
    CompletableResultCode result = new CompletableResultCode();
    if (closing || stopped.isDone()) {
      return result.fail();
    }
    flushes.add(result);
    notifyAll();
    return result;
  }

  /**
   * Sends what is queued for up to the request timeout, then stops. A spool keeps what was not
   * sent for the next start; without one it is dropped (reason shutdown).
   */
  @Override
  public synchronized CompletableResultCode shutdown() {
    if (!closing) {
      closing = true;
      shutdownDeadline = System.nanoTime() + shutdownGraceNanos;
      notifyAll();
    }
    return stopped;
  }

  private void run() {
    try {
      while (true) {
        List<LokiEntry> batch = awaitBatch();
        if (batch == null) {
          break;
        }
        if (!send(batch)) {
          break;
        }
        synchronized (this) {
          queue.ack(batch.size());
          // What is left waits at most one more delay (a full batch leaves at once anyway).
          oldestQueuedNanos = System.nanoTime();
          if (queue.size() == 0) {
            flushes.forEach(CompletableResultCode::succeed);
            flushes.clear();
          }
        }
        syncIfDue();
      }
    } catch (RuntimeException e) {
      LOG.error("Loki sender stopped", "endpoint", push.endpoint(), "error", e.toString());
    } finally {
      finish();
    }
  }

  /** The next batch once it is full or old enough; null when it is time to stop. */
  private synchronized List<LokiEntry> awaitBatch() {
    try {
      while (true) {
        int n = queue.size();
        long now = System.nanoTime();
        if (closing && (n == 0 || now >= shutdownDeadline)) {
          return null;
        }
        long due = oldestQueuedNanos + maxBatchDelayNanos - now;
        if (n >= maxBatchEntries || (n > 0 && (due <= 0 || closing || !flushes.isEmpty()))) {
          return queue.peek(maxBatchEntries);
        }
        syncIfDue();
        long waitMs = n == 0 ? SYNC_INTERVAL_NANOS / 1_000_000 : Math.max(1, due / 1_000_000);
        wait(Math.min(waitMs, SYNC_INTERVAL_NANOS / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Spool appends reach the disk at most a second after they were queued, without an fsync per entry. */
  private void syncIfDue() {
    long now = System.nanoTime();
    if (now - lastSyncNanos >= SYNC_INTERVAL_NANOS) {
      queue.sync();
      lastSyncNanos = now;
    }
  }

  /** True once the batch is done with (sent or rejected); false if shutdown cut the retries. */
  private boolean send(List<LokiEntry> batch) {
    Map<LokiStream, List<LokiEntry>> streams = LokiBatch.byStream(batch);
    GrowableBytes body;
    if (format == LokiFormat.PROTOBUF) {
      GrowableBytes raw = protobuf.encode(streams);
      body = snappy.compress(raw.array(), raw.size());
    } else {
      body = json.encode(streams);
    }
    try {
      for (int attempt = 0; ; attempt++) {
        HttpPush.Result result = push.post(body.array(), body.size(), protocolHeaders);
        switch (result.outcome()) {
          case SENT:
            return true;
          case REJECTED:
            drops.add(REJECTED, batch.size());
            warn("Loki rejected a batch; dropping it (not retried)", result, batch.size(),
                "Loki's message says why: out-of-order or too-old entries, rate or size limits, a missing tenant");
            return true;
          case RETRY:
          default:
            warn("Loki push failed; retrying with backoff, entries stay queued", result, batch.size(),
                "check that Loki is up at the push URL");
            if (!pause(backoff.delayNanos(Math.min(attempt, 30)))) {
              return false;
            }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits before a retry; false if shutdown's deadline passed. */
  private synchronized boolean pause(long nanos) throws InterruptedException {
    long end = System.nanoTime() + nanos;
    while (true) {
      long now = System.nanoTime();
      if (closing && now >= shutdownDeadline) {
        return false;
      }
      long left = Math.min(end, shutdownDeadline) - now;
      if (left <= 0) {
        return true;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  private void finish() {
    synchronized (this) {
      closing = true;
      int left = queue.size();
      if (left > 0 && !spooled) {
        drops.add(SHUTDOWN, left);
        LOG.warn("Loki exporter stopped with unsent entries; they are lost", "endpoint", push.endpoint(),
            "entries", left, "fix", "configure a spool directory to keep them across restarts");
      } else if (left > 0) {
        LOG.info("Loki exporter stopped; unsent entries stay in the spool for the next start",
            "endpoint", push.endpoint(), "entries", left);
      }
      flushes.forEach(CompletableResultCode::fail);
      flushes.clear();
      queue.close();
    }
    stopped.succeed();
  }

  private void warn(String message, HttpPush.Result result, int entries, String fix) {
    if (warnings.tryAcquire()) {
      LOG.warn(message, "endpoint", push.endpoint(), "status", result.status(),
          "response", result.detail(), "entries", entries, "fix", fix);
    }
  }

  @Override
  public String toString() {
    return "LokiExporter{endpoint=" + push.endpoint() + ", format=" + format + ", spool=" + spooled + "}";
  }
}
