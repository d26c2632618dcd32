package io.gopherlens.netflow;

import io.gopherlens.k8s.PodDirectory;
import io.gopherlens.k8s.ProcessMetadata;
import io.gopherlens.log.Log;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeException;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Once per interval: runs the kernel's socket iterator (RTT samples, new bytes), drains the
 * per-flow aggregates and adds them to the bounded flow table behind the TCP metrics. The
 * kernel map is bounded too: what does not fit goes to its overflow aggregate, published
 * under pid 0 with peer {@code _other}'s address 0.0.0.0, and counted by the probe's drops.
 */
public final class FlowCollector {
  private static final Log LOG = Log.of(FlowCollector.class);
  private static final int MAX_PAIRS_PER_DRAIN = 16_384; // the kernel map's max_entries

  private final NativeProbe probe;
  private final FlowTable table;
  private final ByteBuffer drainBuffer =
      ByteBuffer.allocateDirect(MAX_PAIRS_PER_DRAIN * FlowDelta.PAIR_SIZE).order(ByteOrder.nativeOrder());
  private final FlowDelta delta = new FlowDelta();

  public FlowCollector(NativeProbe probe, int maxPeersPerProcess, int maxSeries, int idleTicks) {
    this.probe = probe;
    this.table = new FlowTable(maxPeersPerProcess, maxSeries, idleTicks, new ProcessMetadata());
  }

  /** Samples and drains the kernel once; call from one thread at a fixed interval. */
  public void collect() {
    table.beginTick();
    try {
      probe.sampleTcp();
    } catch (ProbeException e) {
      LOG.warn("TCP socket sampling failed; RTT and live byte counts wait for close", "error", e.getMessage());
    }
    for (String map : new String[] {"flows", "flow_overflow"}) {
      int pairs = probe.drainMap(map, drainBuffer);
      for (int i = 0; i < pairs; i++) {
        table.add(delta.at(drainBuffer, i));
      }
    }
    table.evict(pid -> Files.exists(Path.of("/proc", Integer.toString(pid))));
  }

  /** The OpenTelemetry producer that publishes the TCP metrics, with the pods' k8s.* attributes. */
  public MetricProducer metricProducer(PodDirectory pods) {
    return new FlowMetricProducer(table, pods);
  }

  /** Flows folded into a process's {@code _other} series by the cardinality cap. */
  public long foldedFlows() {
    return table.foldedFlows();
  }

  /** The current series and totals, for the `flows` command. */
  public List<Map.Entry<FlowKey, FlowTotals>> snapshot() {
    return table.snapshot();
  }
}
