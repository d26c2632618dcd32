package io.gopherlens.pipeline;

import io.gopherlens.goproc.GoProcessTracker;
import io.gopherlens.netflow.FlowCollector;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.TcpState;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.EnumMap;
import java.util.Map;

/**
 * Instruments for the probe's own events: TCP state changes, process execs, watched Go
 * processes, and what the probe and collector lost or folded. Attribute sets are cached so the hot path
 * allocates nothing per event.
 */
public final class AgentMetrics {
  static final AttributeKey<String> TCP_STATE = AttributeKey.stringKey("gopherlens.tcp.state");
  static final AttributeKey<String> DROP_REASON = AttributeKey.stringKey("reason");

  private final LongCounter tcpStateChanges;
  private final LongCounter execs;
  private final Map<TcpState, Attributes> stateAttributes = new EnumMap<>(TcpState.class);

  public AgentMetrics(Meter meter, NativeProbe probe, GoProcessTracker tracker, FlowCollector flows) {
    tcpStateChanges =
        meter
            .counterBuilder("gopherlens.tcp.state.changes")
            .setDescription("TCP state transitions on this host, by new state")
            .setUnit("{transition}")
            .build();
    execs =
        meter.counterBuilder("gopherlens.process.execs").setDescription("Successful execve calls").setUnit("{exec}").build();
    meter
        .upDownCounterBuilder("gopherlens.go.processes")
        .setDescription("Go processes being watched")
        .setUnit("{process}")
        .buildWithCallback(m -> m.record(tracker.goProcessCount()));
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
    meter
        .counterBuilder("gopherlens.tcp.flows.folded")
        .setDescription("Flow updates folded into a process's _other peer series by the per-process cap")
        .setUnit("{flow}")
        .buildWithCallback(m -> m.record(flows.foldedFlows()));
  }

  public void tcpStateChange(TcpState newState) {
    tcpStateChanges.add(1, stateAttributes.computeIfAbsent(newState, s -> Attributes.of(TCP_STATE, s.name())));
  }

  public void exec() {
    execs.add(1);
  }
}
