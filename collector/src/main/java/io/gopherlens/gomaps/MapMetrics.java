package io.gopherlens.gomaps;

import io.gopherlens.goruntime.GcMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/** Gauges of tracked Go maps per process and allocation site, and what the tracker dropped. */
public final class MapMetrics {
  public static final AttributeKey<String> SITE = AttributeKey.stringKey("gopherlens.go.map.site");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

  public MapMetrics(Meter meter, MapTracker tracker, RetentionFindings findings, int topSites,
      IntFunction<String> executableName) {
    gauge(meter, tracker, topSites, executableName, "gopherlens.go.map.memory",
        "Heap bytes owned by tracked Go maps (buckets or tables), per allocation site", "By", MapSites.Site::bytes);
    gauge(meter, tracker, topSites, executableName, "gopherlens.go.map.entries",
        "Live entries (len) of tracked Go maps, per allocation site", "{entry}", MapSites.Site::entries);
    gauge(meter, tracker, topSites, executableName, "gopherlens.go.map.capacity",
        "Slots of tracked Go maps, per allocation site: capacity the map keeps after deletes", "{slot}",
        MapSites.Site::capacity);
    meter.upDownCounterBuilder("gopherlens.go.map.sites.folded")
        .setDescription("Allocation sites beyond maps.top_sites per process, summed under site=\"_other\"")
        .setUnit("{site}")
        .buildWithCallback(m -> m.record(MapSites.of(tracker.maps(), topSites).folded()));
    meter.counterBuilder("gopherlens.go.map.untracked")
        .setDescription("Maps no longer tracked, by reason (freed and reused, unreadable, process exited)")
        .setUnit("{map}")
        .buildWithCallback(m -> {
          for (Map.Entry<MapTracker.Untracked, Long> e : tracker.untracked().entrySet()) {
            m.record(e.getValue(), Attributes.of(REASON, e.getKey().label));
          }
        });
    meter.counterBuilder("gopherlens.go.map.offers")
        .setDescription("Large-map growths offered to the tracker, by outcome (refused_limit: maps.max_tracked full)")
        .setUnit("{map}")
        .buildWithCallback(m -> {
          for (Map.Entry<MapTracker.Offer, Long> e : tracker.offers().entrySet()) {
            m.record(e.getValue(), Attributes.of(OUTCOME, e.getKey().name().toLowerCase()));
          }
        });
    meter.counterBuilder("gopherlens.go.map.samples")
        .setDescription("Rounds of re-reading every tracked map from process memory")
        .setUnit("{sample}")
        .buildWithCallback(m -> m.record(tracker.samples()));
    meter.counterBuilder("gopherlens.go.map.sample.duration").ofDoubles()
        .setDescription("Time spent re-reading tracked maps from process memory")
        .setUnit("s")
        .buildWithCallback(m -> m.record(tracker.sampleSeconds()));
    meter.counterBuilder("gopherlens.go.map.findings.suppressed")
        .setDescription("Map retention findings held back by their rate limit")
        .setUnit("{event}")
        .buildWithCallback(m -> m.record(findings.suppressed()));
  }

  private static void gauge(Meter meter, MapTracker tracker, int topSites, IntFunction<String> executableName,
      String name, String description, String unit, ToLongFunction<MapSites.Site> value) {
    meter.upDownCounterBuilder(name).setDescription(description).setUnit(unit)
        .buildWithCallback(m -> record(m, tracker, topSites, executableName, value));
  }

  private static void record(ObservableLongMeasurement m, MapTracker tracker, int topSites,
      IntFunction<String> executableName, ToLongFunction<MapSites.Site> value) {
    for (MapSites.Site s : MapSites.of(tracker.maps(), topSites).sites()) {
      m.record(value.applyAsLong(s), Attributes.of(GcMetrics.PROCESS_PID, (long) s.pid(),
          GcMetrics.PROCESS_EXECUTABLE_NAME, executableName.apply(s.pid()), SITE, s.site()));
    }
  }
}
