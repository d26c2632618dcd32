package io.gopherlens.gomaps;

import io.gopherlens.log.EventLog;
import io.gopherlens.log.RateLimit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The retention finding: a map whose live entries fill less than 1/{@code divisor} of its slots
 * while it owns at least {@code minBytes}. One record per map, again only when its capacity
 * changes or it recovers and falls back; rate-limited across maps.
 */
public final class RetentionFindings {
  public static final String EVENT = "go.map.retention";

  private final int divisor;
  private final long minBytes;
  private final EventLog events; // null when events are off
  private final RateLimit limit;
  private final Consumer<TrackedMap> listener;
  /** (pid, address) -> capacity when reported; bounded by the tracker's own limits. */
  private final Map<MapKey, Long> reported = new ConcurrentHashMap<>();

  /** {@code listener} sees each finding that passed the rate limit (the demo prints it). */
  public RetentionFindings(int divisor, long minBytes, EventLog events, RateLimit limit, Consumer<TrackedMap> listener) {
    this.divisor = divisor;
    this.minBytes = minBytes;
    this.events = events;
    this.limit = limit;
    this.listener = listener;
  }

  /** Whether {@code s} is a retention: mostly empty slots holding at least minBytes. */
  public boolean retains(MapState s) {
    return s.bytesAtLeast() >= minBytes && s.entries() * divisor < s.capacity();
  }

  void check(TrackedMap m) {
    MapKey key = new MapKey(m.pid(), m.address());
    if (!retains(m.state())) {
      reported.remove(key);
      return;
    }
    Long before = reported.get(key);
    if (before != null && before == m.state().capacity()) {
      return;
    }
    if (!limit.tryAcquire()) {
      return; // counted by the limiter; tried again next sample
    }
    reported.put(key, m.state().capacity());
    if (events != null) {
      events.emit(EVENT,
          "process.pid", m.pid(),
          "gopherlens.go.map.site", m.site(),
          "gopherlens.go.map.address", "0x" + Long.toHexString(m.address()),
          "gopherlens.go.map.implementation", m.implementation(),
          "bytes", m.state().bytesAtLeast(),
          "bytes_exact", m.state().bytes() >= 0,
          "entries", m.state().entries(),
          "capacity", m.state().capacity(),
          "message", message(m));
    }
    listener.accept(m);
  }

  void forget(int pid, long address) {
    reported.remove(new MapKey(pid, address));
  }

  /** Finding records held back by the rate limit. */
  public long suppressed() {
    return limit.suppressed();
  }

  /** The finding in one sentence, with what to do about it. */
  public static String message(TrackedMap m) {
    return "map created at " + m.site() + " owns " + Sizes.owned(m.state()) + " for "
        + Sizes.count(m.state().entries()) + " live entries (" + Sizes.count(m.state().capacity())
        + " slots); Go maps never shrink - copy live entries into a new map or replace it";
  }
}
