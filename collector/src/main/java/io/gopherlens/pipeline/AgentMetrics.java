package io.gopherlens.pipeline;

import io.gopherlens.goproc.GoProcessTracker;
import io.gopherlens.netflow.FlowCollector;
import io.gopherlens.probe.MapProbeCounters;
import io.gopherlens.probe.NativeProbe;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;

/**
 * Instruments for the agent itself: process execs, watched Go processes, and what the probe
 * and collector lost or folded.
 */
public final class AgentMetrics {
  static final AttributeKey<String> DROP_REASON = AttributeKey.stringKey("reason");

  private final LongCounter execs;

  public AgentMetrics(Meter meter, NativeProbe probe, GoProcessTracker tracker, FlowCollector flows) {
    execs =
        meter.counterBuilder("gopherlens.process.execs").setDescription("Successful execve calls").setUnit("{exec}").build();
    meter
        .upDownCounterBuilder("gopherlens.go.processes")
        .setDescription("Go processes being watched")
        .setUnit("{process}")
        .buildWithCallback(m -> m.record(tracker.goProcessCount()));
    meter
        .counterBuilder("gopherlens.probe.records")
        .setDescription("Probe records decoded from the ring buffers")
        .setUnit("{record}")
        .buildWithCallback(m -> m.record(probe.recordsDecoded()));
    meter
        .counterBuilder("gopherlens.probe.records.dropped")
        .setDescription("Probe records lost before decoding, by reason")
        .setUnit("{record}")
        .buildWithCallback(
            m -> {
              NativeProbe.DropCounts d = probe.drops();
              m.record(d.ringBufferFull(), Attributes.of(DROP_REASON, "ringbuf_full"));
              m.record(d.mapFull(), Attributes.of(DROP_REASON, "map_full"));
              m.record(d.malformed(), Attributes.of(DROP_REASON, "malformed"));
              m.record(tracker.droppedTasks(), Attributes.of(DROP_REASON, "discovery_queue_full"));
            });
    // One read of the per-CPU counters per collection feeds both instruments.
    ObservableLongMeasurement mapHits =
        meter
            .counterBuilder("gopherlens.go.map.probe.hits")
            .setDescription("Traps of the map growth uprobes: the cost the default map probes add to watched programs")
            .setUnit("{hit}")
            .buildObserver();
    ObservableLongMeasurement mapIgnored =
        meter
            .counterBuilder("gopherlens.go.map.probe.ignored")
            .setDescription("Map growth uprobe hits that sent no record, by reason")
            .setUnit("{hit}")
            .buildObserver();
    meter.batchCallback(
        () -> {
          MapProbeCounters c = MapProbeCounters.read(probe);
          mapHits.record(c.hits());
          mapIgnored.record(c.small(), Attributes.of(DROP_REASON, "below_min_bytes"));
          mapIgnored.record(c.notMap(), Attributes.of(DROP_REASON, "not_a_map"));
          mapIgnored.record(c.unknownBinary(), Attributes.of(DROP_REASON, "unknown_binary"));
          mapIgnored.record(c.unreadable(), Attributes.of(DROP_REASON, "unreadable"));
        },
        mapHits,
        mapIgnored);
    meter
        .counterBuilder("gopherlens.tcp.flows.folded")
        .setDescription("Flow updates folded into a process's _other peer series by the per-process cap")
        .setUnit("{flow}")
        .buildWithCallback(m -> m.record(flows.foldedFlows()));
  }

  public void exec() {
    execs.add(1);
  }
}
