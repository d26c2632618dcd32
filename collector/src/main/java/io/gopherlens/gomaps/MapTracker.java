package io.gopherlens.gomaps;

import io.gopherlens.goruntime.ProcessMemory;
import io.gopherlens.log.Log;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The large maps of watched Go processes: fed by growth events (or discovery), re-read every
 * sampling interval from process memory, and dropped when their memory no longer holds the same
 * live map. Bounded per process; everything it refuses or drops is counted by reason.
 */
public final class MapTracker {
  private static final Log LOG = Log.of(MapTracker.class);

  /**
   * @param minBytes maps owning less are not tracked
   * @param maxPerProcess maps tracked per process; further offers are refused and counted
   */
  public record Settings(long minBytes, int maxPerProcess) {}

  /**
   * What became of an offered map. PENDING: the growth probe fires while the runtime is still
   * building the map (makemap sets B before the buckets), so a map that does not read as one yet
   * is read again at the next sample before it counts as INVALID.
   */
  public enum Offer {
    TRACKED, ALREADY_TRACKED, PENDING, SMALL, SIZE_UNKNOWN, INVALID, NO_LAYOUT, REFUSED_LIMIT
  }

  /** Maps waiting for their second read, across processes. */
  static final int MAX_PENDING = 1024;

  private record Pending(int pid, long address, Optional<MapType> type, String site) {}

  /** Why a tracked map stopped being tracked. */
  public enum Untracked {
    UNREADABLE("unreadable"), INCONSISTENT("inconsistent"), REUSED("reused"), PROCESS_EXITED("process_exited");

    public final String label;

    Untracked(String label) {
      this.label = label;
    }

    static Untracked of(MapReadException.Reason r) {
      return switch (r) {
        case UNREADABLE -> UNREADABLE;
        case INCONSISTENT -> INCONSISTENT;
      };
    }
  }

  private static final class Entry {
    final MapReader reader;
    final long firstSeenMillis;
    Optional<MapType> type;
    String site;
    TrackedMap latest;

    Entry(MapReader reader, Optional<MapType> type, String site, long firstSeenMillis) {
      this.reader = reader;
      this.type = type;
      this.site = site;
      this.firstSeenMillis = firstSeenMillis;
    }
  }

  private final Settings settings;
  private final IntFunction<Optional<MapReader>> readers;
  private final RetentionFindings findings;
  private final LongSupplier wallClockMillis;
  private final Map<Integer, Map<Long, Entry>> byPid = new HashMap<>();
  private final Map<MapKey, Pending> pending = new LinkedHashMap<>();
  private final Map<Offer, Long> offers = new EnumMap<>(Offer.class);
  private final Map<Untracked, Long> untracked = new EnumMap<>(Untracked.class);
  private long samples;
  private long sampleNanos;

  /** {@code readers}: the map reader for a pid's binary, empty when its layout is unknown. */
  public MapTracker(Settings settings, IntFunction<Optional<MapReader>> readers, RetentionFindings findings,
      LongSupplier wallClockMillis) {
    this.settings = settings;
    this.readers = readers;
    this.findings = findings;
    this.wallClockMillis = wallClockMillis;
  }

  /**
   * A map that grew (or was found) at {@code address}: read it now and track it if it owns at
   * least {@code minBytes}. {@code type} is the map's type when known.
   */
  public synchronized Offer offer(int pid, long address, Optional<MapType> type, String site) {
    return count(offer(pid, address, type, site, true));
  }

  private Offer offer(int pid, long address, Optional<MapType> type, String site, boolean mayWait) {
    Map<Long, Entry> maps = byPid.get(pid);
    Entry known = maps == null ? null : maps.get(address);
    if (known != null) {
      if (type.isPresent()) {
        known.type = type;
      }
      known.site = site; // the latest growth names the code that filled it
      return Offer.ALREADY_TRACKED;
    }
    if (mayWait && pending.containsKey(new MapKey(pid, address))) {
      return Offer.PENDING; // a map growing fast sends many growths: read it once, at the next sample
    }
    if (maps != null && maps.size() >= settings.maxPerProcess()) {
      return Offer.REFUSED_LIMIT;
    }
    Optional<MapReader> reader = readers.apply(pid);
    if (reader.isEmpty()) {
      return Offer.NO_LAYOUT;
    }
    MapState state;
    try (ProcessMemory mem = ProcessMemory.open(pid)) {
      if (type.isEmpty()) {
        type = reader.get().inferType(mem, address);
      }
      state = reader.get().read(mem, address, type);
    } catch (IOException | MapReadException e) {
      if (mayWait && waitForNextSample(pid, address, type, site)) {
        return Offer.PENDING;
      }
      LOG.debug("map not tracked", "pid", pid, "address", "0x" + Long.toHexString(address), "error", e.getMessage());
      return Offer.INVALID;
    }
    if (state.bytes() < 0 && state.bytesAtLeast() < settings.minBytes()) {
      return Offer.SIZE_UNKNOWN; // might own minBytes or not: unknown, not guessed
    }
    if (state.bytesAtLeast() < settings.minBytes()) {
      // hashGrow is still switching to the new array: the header may show the old, smaller one.
      return mayWait && waitForNextSample(pid, address, type, site) ? Offer.PENDING : Offer.SMALL;
    }
    Entry e = new Entry(reader.get(), type, site, wallClockMillis.getAsLong());
    e.latest = new TrackedMap(pid, address, reader.get().implementation(), site, e.firstSeenMillis, state);
    byPid.computeIfAbsent(pid, p -> new LinkedHashMap<>()).put(address, e);
    findings.check(e.latest);
    return Offer.TRACKED;
  }

  private boolean waitForNextSample(int pid, long address, Optional<MapType> type, String site) {
    MapKey key = new MapKey(pid, address);
    if (!pending.containsKey(key) && pending.size() >= MAX_PENDING) {
      return false;
    }
    pending.put(key, new Pending(pid, address, type, site));
    return true;
  }

  /** Re-reads every tracked map; the agent calls it each {@code maps.sample_interval}. */
  public synchronized void sampleAll() {
    long start = System.nanoTime();
    List<Pending> retry = new ArrayList<>(pending.values());
    pending.clear();
    retry.forEach(p -> count(offer(p.pid(), p.address(), p.type(), p.site(), false)));
    for (Iterator<Map.Entry<Integer, Map<Long, Entry>>> pids = byPid.entrySet().iterator(); pids.hasNext(); ) {
      Map.Entry<Integer, Map<Long, Entry>> p = pids.next();
      sampleProcess(p.getKey(), p.getValue());
      if (p.getValue().isEmpty()) {
        pids.remove();
      }
    }
    samples++;
    sampleNanos += System.nanoTime() - start;
  }

  private void sampleProcess(int pid, Map<Long, Entry> maps) {
    ProcessMemory mem;
    try {
      mem = ProcessMemory.open(pid);
    } catch (IOException e) {
      maps.keySet().forEach(a -> findings.forget(pid, a));
      untracked.merge(Untracked.PROCESS_EXITED, (long) maps.size(), Long::sum);
      maps.clear();
      return;
    }
    try (mem) {
      for (Iterator<Entry> it = maps.values().iterator(); it.hasNext(); ) {
        Entry e = it.next();
        Optional<Untracked> gone = sample(mem, e);
        if (gone.isPresent()) {
          it.remove();
          findings.forget(pid, e.latest.address());
          untracked.merge(gone.get(), 1L, Long::sum);
          LOG.debug("map no longer tracked", "pid", pid, "address", "0x" + Long.toHexString(e.latest.address()),
              "reason", gone.get().label, "site", e.site);
        }
      }
    } catch (IOException e) {
      LOG.debug("closing process memory failed", "pid", pid, "error", e.getMessage());
    }
  }

  private Optional<Untracked> sample(ProcessMemory mem, Entry e) {
    TrackedMap last = e.latest;
    MapState s;
    try {
      s = readTwice(mem, e);
    } catch (MapReadException ex) {
      return Optional.of(Untracked.of(ex.reason()));
    }
    // Deleting the last entry or clear() gives the same map a new seed but keeps its storage;
    // a new seed on new storage is another map allocated where the old one was freed.
    if (s.seed() != last.state().seed() && s.storage() != last.state().storage()) {
      return Optional.of(Untracked.REUSED);
    }
    e.latest = new TrackedMap(last.pid(), last.address(), last.implementation(), e.site, e.firstSeenMillis, s);
    findings.check(e.latest);
    return Optional.empty();
  }

  /**
   * The program keeps running while its map is read: a read that lands mid-growth (a Swiss
   * directory being replaced) can see a torn header, so an inconsistent read is tried once more.
   */
  private static MapState readTwice(ProcessMemory mem, Entry e) throws MapReadException {
    try {
      return e.reader.read(mem, e.latest.address(), e.type);
    } catch (MapReadException first) {
      if (first.reason() != MapReadException.Reason.INCONSISTENT) {
        throw first;
      }
      return e.reader.read(mem, e.latest.address(), e.type);
    }
  }

  /** Stops tracking a process's maps (it exited). */
  public synchronized void forgetProcess(int pid) {
    pending.values().removeIf(p -> p.pid() == pid);
    Map<Long, Entry> maps = byPid.remove(pid);
    if (maps != null) {
      maps.keySet().forEach(a -> findings.forget(pid, a));
      untracked.merge(Untracked.PROCESS_EXITED, (long) maps.size(), Long::sum);
    }
  }

  /** Every tracked map as last read. */
  public synchronized List<TrackedMap> maps() {
    List<TrackedMap> out = new ArrayList<>();
    byPid.values().forEach(m -> m.values().forEach(e -> out.add(e.latest)));
    return out;
  }

  /** Offers by outcome since start. */
  public synchronized Map<Offer, Long> offers() {
    return new EnumMap<>(offers);
  }

  /** Maps no longer tracked, by reason, since start. */
  public synchronized Map<Untracked, Long> untracked() {
    return new EnumMap<>(untracked);
  }

  /** Rounds of {@link #sampleAll} so far. */
  public synchronized long samples() {
    return samples;
  }

  /** Seconds spent in {@link #sampleAll} so far: the cost of sampling, for the bench. */
  public synchronized double sampleSeconds() {
    return sampleNanos / 1e9;
  }

  private Offer count(Offer o) {
    offers.merge(o, 1L, Long::sum);
    return o;
  }
}
