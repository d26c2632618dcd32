package io.gopherlens.export;

import io.gopherlens.log.Log;
import io.gopherlens.log.RateLimit;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Failed exports per exporter: counted for {@code gopherlens.export.failures{exporter}} and
 * logged at most once a minute per exporter, with the destination and what happens next.
 */
public final class ExportFailures {
  private static final Log LOG = Log.of(ExportFailures.class);
  static final AttributeKey<String> EXPORTER = AttributeKey.stringKey("exporter");
  /**
   * The SDK logs each failure again through java.util.logging (plain text on stderr, every time):
   * the exporters, and the reader and processor that call them. This class logs them instead.
   */
  private static final List<Logger> SDK_FAILURE_LOGS =
      List.of(
          Logger.getLogger("io.opentelemetry.exporter"),
          Logger.getLogger("io.opentelemetry.sdk.metrics.export.PeriodicMetricReader"),
          Logger.getLogger("io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor"));

  static {
    SDK_FAILURE_LOGS.forEach(l -> l.setLevel(Level.OFF));
  }

  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  private record Counter(AtomicLong failures, RateLimit logLimit, String hint) {}

  /** Exposes the counts as {@code gopherlens.export.failures}. */
  public void register(Meter meter) {
    meter
        .counterBuilder("gopherlens.export.failures")
        .setDescription("Export requests that failed (the data of a failed request is dropped), by exporter")
        .setUnit("{request}")
        .buildWithCallback(
            m -> counters.forEach((name, c) -> m.record(c.failures.get(), Attributes.of(EXPORTER, name))));
  }

  /**
   * Makes the exporter's series appear at zero before its first failure.
   *
   * @param hint what to check when it fails, e.g. "check --loki-url"
   */
  public void declare(String exporter, String hint) {
    counters.computeIfAbsent(exporter, k -> new Counter(new AtomicLong(), new RateLimit(1.0 / 60, 1), hint));
  }

  /**
   * Runs one export of a declared exporter, counting and logging its failure, whether the export
   * throws or its result fails later; never throws.
   */
  public CompletableResultCode report(String exporter, Object destination, Supplier<CompletableResultCode> export) {
    CompletableResultCode result;
    try {
      result = export.get();
    } catch (RuntimeException e) {
      failed(exporter, destination, e);
      return CompletableResultCode.ofExceptionalFailure(e);
    }
    result.whenComplete(
        () -> {
          if (!result.isSuccess()) failed(exporter, destination, result.getFailureThrowable());
        });
    return result;
  }

  /** Counts one failed request of a declared exporter and logs it unless one was logged this minute. */
  public void failed(String exporter, Object destination, Throwable cause) {
    declare(exporter, "check that the receiver listens there");
    Counter c = counters.get(exporter);
    long total = c.failures.incrementAndGet();
    if (c.logLimit.tryAcquire()) {
      LOG.warn(
          "export to " + destination + " failed: " + reason(cause)
              + "; the batch is dropped after the sender's retries and the next one is tried as usual; " + c.hint,
          "exporter", exporter,
          "failures", total);
    }
  }

  public long failures(String exporter) {
    Counter c = counters.get(exporter);
    return c == null ? 0 : c.failures.get();
  }

  /** The innermost message: "Failed to connect to /127.0.0.1:4318" rather than a wrapper's. */
  static String reason(Throwable cause) {
    String reason = null;
    for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) reason = t.getMessage();
    }
    return reason != null ? reason : "the receiver answered with an error status or did not answer in time";
  }
}
