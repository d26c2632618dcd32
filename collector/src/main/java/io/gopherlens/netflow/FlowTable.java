package io.gopherlens.netflow;

import io.gopherlens.k8s.PodAttributes;
import io.gopherlens.k8s.ProcessMetadata;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Flow series with their cumulative totals, bounded two ways: at most {@code
 * maxPeersPerProcess} peer series per (process, direction) — further peers fold into one
 * {@code _other} series, counted — and at most {@code maxSeries} in all. Series that stay idle
 * for {@code idleTicks} drains, or whose process exited, are dropped to free room.
 */
final class FlowTable {
  static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");
  static final AttributeKey<String> PROCESS_EXECUTABLE_NAME = AttributeKey.stringKey("process.executable.name");
  static final AttributeKey<String> CONTAINER_ID = PodAttributes.CONTAINER_ID;
  static final AttributeKey<String> PEER_ADDRESS = AttributeKey.stringKey("network.peer.address");
  static final AttributeKey<Long> PEER_PORT = AttributeKey.longKey("network.peer.port");
  static final AttributeKey<Long> LOCAL_PORT = AttributeKey.longKey("network.local.port");
  static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("network.transport");
  static final AttributeKey<String> NETWORK_TYPE = AttributeKey.stringKey("network.type");
  static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("gopherlens.tcp.direction");

  /** Drains a dead process's series stay, so the last values are still scraped. */
  private static final int GONE_TICKS = 6;

  private final int maxPeersPerProcess;
  private final int maxSeries;
  private final int idleTicks;
  private final ProcessMetadata processes;
  private final Map<FlowKey, FlowTotals> series = new HashMap<>();
  private final Map<Long, Integer> peersPerProcess = new HashMap<>();
  private long foldedFlows;
  private long tick;

  FlowTable(int maxPeersPerProcess, int maxSeries, int idleTicks, ProcessMetadata processes) {
    this.maxPeersPerProcess = maxPeersPerProcess;
    this.maxSeries = maxSeries;
    this.idleTicks = idleTicks;
    this.processes = processes;
  }

  /** Starts a new drain: everything added until the next call belongs to it. */
  synchronized void beginTick() {
    tick++;
  }

  synchronized void add(FlowDelta delta) {
    FlowKey key = delta.flowKey();
    FlowTotals totals = series.get(key);
    if (totals == null) {
      long owner = ownerKey(key);
      int peers = peersPerProcess.getOrDefault(owner, 0);
      if (peers >= maxPeersPerProcess || series.size() >= maxSeries) {
        foldedFlows++;
        key = key.folded();
        totals = series.get(key);
      } else {
        peersPerProcess.put(owner, peers + 1);
      }
      if (totals == null) {
        totals = new FlowTotals(System.currentTimeMillis() * 1_000_000L, attributes(key, delta.comm()));
        series.put(key, totals);
      }
    }
    totals.add(delta, tick);
  }

  /** Drops idle series and those of processes that no longer exist. */
  synchronized void evict(IntPredicate processAlive) {
    Iterator<Map.Entry<FlowKey, FlowTotals>> it = series.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<FlowKey, FlowTotals> e = it.next();
      FlowKey key = e.getKey();
      boolean idle = tick - e.getValue().lastActiveTick >= idleTicks;
      boolean gone = key.pid() != 0 && tick - e.getValue().lastActiveTick >= GONE_TICKS && !processAlive.test(key.pid());
      if (gone) {
        processes.forget(key.pid()); // a reused pid must be looked up afresh
      }
      if (idle || gone) {
        it.remove();
        if (!key.isFolded()) {
          peersPerProcess.computeIfPresent(ownerKey(key), (k, n) -> n > 1 ? n - 1 : null);
        }
      }
    }
  }

  synchronized List<Map.Entry<FlowKey, FlowTotals>> snapshot() {
    return new ArrayList<>(series.entrySet());
  }

  synchronized long foldedFlows() {
    return foldedFlows;
  }

  private static long ownerKey(FlowKey key) {
    return ((long) key.pid() << 1) | (key.server() ? 1 : 0);
  }

  private Attributes attributes(FlowKey key, String comm) {
    ProcessMetadata.Info info = processes.of(key.pid(), comm);
    AttributesBuilder b =
        Attributes.builder()
            .put(PROCESS_PID, key.pid())
            .put(PROCESS_EXECUTABLE_NAME, info.executableName())
            .put(PEER_ADDRESS, key.peerLabel())
            .put(key.server() ? LOCAL_PORT : PEER_PORT, key.port())
            .put(TRANSPORT, "tcp")
            .put(NETWORK_TYPE, key.networkType())
            .put(DIRECTION, key.server() ? "server" : "client");
    if (!info.containerId().isEmpty()) {
      b.put(CONTAINER_ID, info.containerId());
    }
    return b.build();
  }
}
