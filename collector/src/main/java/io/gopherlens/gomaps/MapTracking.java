package io.gopherlens.gomaps;

import io.gopherlens.goproc.GoBinary;
import io.gopherlens.goproc.GoStack;
import io.gopherlens.goproc.SourceLocation;
import io.gopherlens.log.EventLog;
import io.gopherlens.log.RateLimit;
import io.gopherlens.probe.ProbeEvent;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Go map tracking as the agent, the maps command and the demo run it: growth events from the
 * probe become tracked maps, named by the code that grew them (the innermost frame outside the
 * runtime, from .gopclntab) and sized from what the probe measured.
 */
public final class MapTracking {
  /** Site of a map whose growth stack had no frame outside the runtime. */
  public static final String UNKNOWN_SITE = "unknown";

  /**
   * @param minBytes maps owning less are not tracked (maps.min_bytes)
   * @param maxPerProcess maps.max_tracked
   * @param retentionDivisor retention when entries fill less than 1/N of the slots
   * @param retentionMinBytes ... and the map owns at least this much
   */
  public record Settings(long minBytes, int maxPerProcess, int retentionDivisor, long retentionMinBytes) {}

  private final IntFunction<Optional<GoBinary>> binaries;
  private final MapReaders readers = new MapReaders();
  private final RetentionFindings findings;
  private final MapTracker tracker;

  /**
   * @param binaries the binary of a watched Go process
   * @param events where findings go (null: nowhere but {@code onFinding})
   * @param onFinding sees each finding that passed the rate limit
   */
  public MapTracking(Settings settings, IntFunction<Optional<GoBinary>> binaries, EventLog events,
      Consumer<TrackedMap> onFinding) {
    this.binaries = binaries;
    // A burst of findings at start (maps that grew before), then at most one every 10 s.
    this.findings = new RetentionFindings(settings.retentionDivisor(), settings.retentionMinBytes(), events,
        new RateLimit(0.1, 20), onFinding);
    this.tracker = new MapTracker(new MapTracker.Settings(settings.minBytes(), settings.maxPerProcess()),
        pid -> binaries.apply(pid).flatMap(readers::forBinary), findings, System::currentTimeMillis);
  }

  public MapTracker tracker() {
    return tracker;
  }

  public RetentionFindings findings() {
    return findings;
  }

  /** Tracks the map a growth event names. */
  public MapTracker.Offer accept(ProbeEvent.MapGrowth e) {
    Optional<GoBinary> binary = binaries.apply(e.pid());
    if (binary.isEmpty()) {
      return MapTracker.Offer.NO_LAYOUT; // the process exited or is not a watched Go process
    }
    Optional<MapType> type = readers.forBinary(binary.get())
        .flatMap(r -> r.typeFromGrowth(e.log2Capacity(), e.ownedBytes(), e.entries()));
    return tracker.offer(e.pid(), e.mapAddress(), type, site(binary.get(), e.loadBias(), e.stack()));
  }

  public void processExited(int pid) {
    tracker.forgetProcess(pid);
  }

  /** "main.(*Cache).Put cache.go:42": the code that grew the map. */
  static String site(GoBinary binary, long loadBias, long[] stack) {
    return GoStack.firstUserFrame(binary, loadBias, stack)
        .map(MapTracking::describe)
        .orElse(UNKNOWN_SITE);
  }

  private static String describe(SourceLocation l) {
    if (l.line() < 0 || l.file().isEmpty()) {
      return l.function();
    }
    Path file = Path.of(l.file()).getFileName();
    return l.function() + " " + (file == null ? l.file() : file) + ":" + l.line();
  }
}
