package io.gopherlens.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What one exporter dropped, by reason, exposed as the counter {@code
 * gopherlens.export.dropped{exporter,reason}}. The meter provider is resolved lazily (on first
 * {@link #register}) because the provider usually owns the exporter that reports through it.
 */
public final class ExportDrops {
  static final AttributeKey<String> EXPORTER = AttributeKey.stringKey("exporter");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final String exporter;
  private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();
  private final AtomicBoolean registered = new AtomicBoolean();

  public ExportDrops(String exporter, String... reasons) {
    this.exporter = exporter;
    for (String reason : reasons) {
      byReason.put(reason, new LongAdder());
    }
  }

  /** Counts {@code n} items (samples, log entries) lost for {@code reason}, one of the constructor's. */
  public void add(String reason, long n) {
    LongAdder counter = byReason.get(reason);
    if (counter == null) {
      throw new IllegalArgumentException("unknown drop reason " + reason + " for " + exporter);
    }
    counter.add(n);
  }

  public long get(String reason) {
    LongAdder counter = byReason.get(reason);
    return counter == null ? 0 : counter.sum();
  }

  /** Registers the observable counter once; later calls do nothing. */
  public void register(Supplier<MeterProvider> meterProvider) {
    if (meterProvider == null || !registered.compareAndSet(false, true)) {
      return;
    }
    meterProvider
        .get()
        .get("io.gopherlens.export")
        .counterBuilder("gopherlens.export.dropped")
        .setDescription("Samples or log entries an exporter gave up on, by exporter and reason")
        .setUnit("{item}")
        .buildWithCallback(
            m ->
                byReason.forEach(
                    (reason, count) ->
                        m.record(count.sum(), Attributes.of(EXPORTER, exporter, REASON, reason))));
  }
}
