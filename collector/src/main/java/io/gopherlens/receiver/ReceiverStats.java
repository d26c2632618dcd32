package io.gopherlens.receiver;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the receiver accepted and refused, by signal and reason, exposed as metrics: items
 * (points, records, spans) accepted or rejected one by one, and whole requests refused before
 * decoding (too large, overloaded, malformed, ...), whose items could not be counted.
 */
public final class ReceiverStats {
  static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final Map<Signal, LongAdder> accepted = new EnumMap<>(Signal.class);
  private final Map<Signal, LongAdder> rejected = new EnumMap<>(Signal.class);
  // Index 0..2 by signal; 3 for requests refused before their path named a signal.
  private final LongAdder[][] refused = new LongAdder[Signal.values().length + 1][RefusalReason.values().length];

  public ReceiverStats() {
    for (Signal s : Signal.values()) {
      accepted.put(s, new LongAdder());
      rejected.put(s, new LongAdder());
    }
    for (LongAdder[] bySignal : refused) {
      for (int r = 0; r < bySignal.length; r++) bySignal[r] = new LongAdder();
    }
  }

  void items(Signal s, long acceptedItems, long rejectedItems) {
    accepted.get(s).add(acceptedItems);
    rejected.get(s).add(rejectedItems);
  }

  /** {@code s} is null when the request was refused before its path was known. */
  void countRefused(Signal s, RefusalReason reason) {
    refused[index(s)][reason.ordinal()].increment();
  }

  private static int index(Signal s) {
    return s == null ? Signal.values().length : s.ordinal();
  }

  public long accepted(Signal s) {
    return accepted.get(s).sum();
  }

  public long rejected(Signal s) {
    return rejected.get(s).sum();
  }

  public long refused(Signal s, RefusalReason reason) {
    return refused[index(s)][reason.ordinal()].sum();
  }

  /** Registers the counters on {@code meter}; call once. */
  public void register(Meter meter, InflightBudget budget) {
    meter
        .counterBuilder("gopherlens.receiver.items")
        .setDescription("Points, log records and spans received over OTLP, by signal and outcome (accepted, rejected as invalid)")
        .setUnit("{item}")
        .buildWithCallback(
            m -> {
              for (Signal s : Signal.values()) {
                m.record(accepted(s), Attributes.of(SIGNAL, s.label(), OUTCOME, "accepted"));
                m.record(rejected(s), Attributes.of(SIGNAL, s.label(), OUTCOME, "rejected"));
              }
            });
    meter
        .counterBuilder("gopherlens.receiver.requests.refused")
        .setDescription("OTLP requests refused whole, by signal and reason (overloaded, too_large, malformed, ...)")
        .setUnit("{request}")
        .buildWithCallback(
            m -> {
              for (int s = 0; s < refused.length; s++) {
                String signal = s < Signal.values().length ? Signal.values()[s].label() : "unknown";
                for (RefusalReason r : RefusalReason.values()) {
                  m.record(refused[s][r.ordinal()].sum(), Attributes.of(SIGNAL, signal, REASON, r.label()));
                }
              }
            });
    meter
        .upDownCounterBuilder("gopherlens.receiver.inflight")
        .setDescription("Bytes of OTLP requests being received or decoded now (bounded by receiver.max_inflight_bytes)")
        .setUnit("By")
        .buildWithCallback(m -> m.record(budget.inUseBytes()));
  }
}
