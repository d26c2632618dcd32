package io.gopherlens.agent;

import io.gopherlens.gomaps.MapTracking;
import io.gopherlens.goproc.GoProcessTracker;
import io.gopherlens.goruntime.GcMetrics;
import io.gopherlens.goruntime.GcSummaries;
import io.gopherlens.goruntime.HeapSampler;
import io.gopherlens.probe.StwKind;
import io.gopherlens.log.EventLog;
import io.gopherlens.log.RateLimit;
import io.gopherlens.pipeline.AgentMetrics;
import io.gopherlens.probe.ProbeEvent;
import java.util.function.Consumer;

/** Hands each probe event to discovery, metrics and the event log. Runs on the poller thread. */
final class EventRouter implements Consumer<ProbeEvent> {
  private final GoProcessTracker tracker;
  private final AgentMetrics metrics;
  private final GcMetrics gc;
  private final HeapSampler heap;
  private final GcSummaries summaries;
  private final MapTracking maps;
  private final long gcPauseThresholdNanos;
  private final EventLog events; // null when events are off
  private final boolean tcpEvents;
  // Defaults that keep a connect storm or a port scan from flooding stdout or Loki.
  private final RateLimit tcpStateLimit = new RateLimit(200, 1000);
  private final RateLimit connectFailedLimit = new RateLimit(10, 50);
  private final RateLimit gcCycleLimit = new RateLimit(10, 50);
  /** A process in a GC storm is read at most this often at cycle ends. */
  private static final long MIN_HEAP_SAMPLE_GAP_NANOS = 100_000_000L;

  EventRouter(
      GoProcessTracker tracker,
      AgentMetrics metrics,
      GcMetrics gc,
      HeapSampler heap,
      GcSummaries summaries,
      MapTracking maps,
      EventLog events,
      boolean tcpEvents,
      java.time.Duration gcPauseThreshold) {
    this.tracker = tracker;
    this.metrics = metrics;
    this.gc = gc;
    this.heap = heap;
    this.summaries = summaries;
    this.maps = maps;
    this.gcPauseThresholdNanos = gcPauseThreshold.toNanos();
    this.events = events;
    this.tcpEvents = tcpEvents;
  }

  @Override
  public void accept(ProbeEvent event) {
    if (event instanceof ProbeEvent.GcStart e) {
      gcStart(e);
    } else if (event instanceof ProbeEvent.GcPause e) {
      gcPause(e);
    } else if (event instanceof ProbeEvent.TcpStateChange e) {
      tcpStateChange(e);
    } else if (event instanceof ProbeEvent.ProcessExec e) {
      metrics.exec();
      tracker.onExec(e.pid());
    } else if (event instanceof ProbeEvent.ProcessExit e) {
      tracker.onExit(e.pid());
      gc.processGone(e.pid());
      heap.forget(e.pid());
      summaries.forget(e.pid());
      maps.processExited(e.pid());
    } else if (event instanceof ProbeEvent.MapGrowth e) {
      maps.accept(e);
    } else if (event instanceof ProbeEvent.TcpConnectFailed e) {
      connectFailed(e);
    } else if (event instanceof ProbeEvent.TcpClose e) {
      connectionClosed(e);
    }
  }

  private void connectFailed(ProbeEvent.TcpConnectFailed e) {
    if (events != null && tcpEvents && connectFailedLimit.tryAcquire()) {
      events.emit(
          "tcp.connect.failed",
          "process.pid", e.pid(),
          "comm", e.comm(),
          "peer", e.remoteAddress().getHostAddress() + ":" + e.remotePort(),
          "error.type", e.reason().errorType(),
          "elapsed_us", e.elapsedMicros());
    }
  }

  private void connectionClosed(ProbeEvent.TcpClose e) {
    if (events != null) {
      events.emit(
          "tcp.close",
          "process.pid", e.pid(),
          "comm", e.comm(),
          "local", e.localAddress().getHostAddress() + ":" + e.localPort(),
          "peer", e.remoteAddress().getHostAddress() + ":" + e.remotePort(),
          "direction", e.server() ? "server" : "client",
          "duration_us", e.durationMicros(),
          "bytes_sent", e.bytesSent(),
          "bytes_received", e.bytesReceived(),
          "srtt_us", e.smoothedRttMicros(),
          "retransmits", e.retransmits());
    }
  }

  /** Event lines held back by the rate limits, for the suppressed-events counter. */
  long suppressed() {
    return tcpStateLimit.suppressed() + connectFailedLimit.suppressed() + gcCycleLimit.suppressed();
  }

  private String executable(int pid) {
    return tracker.executableName(pid);
  }

  private void gcPause(ProbeEvent.GcPause e) {
    String exe = executable(e.pid());
    gc.paused(e.pid(), exe, e.kind(), e.durationNanos());
    if (e.kind().isGc()) {
      summaries.pause(e.pid(), e.durationNanos());
    }
    if (e.kind() == StwKind.MARK_TERMINATION) {
      heap.sampleIfOlderThan(e.pid(), MIN_HEAP_SAMPLE_GAP_NANOS); // the cycle's end
    }
    if (events != null && e.kind().isGc() && e.durationNanos() >= gcPauseThresholdNanos) {
      events.emit(
          "go.gc.pause",
          "process.pid", e.pid(),
          "process.executable.name", exe,
          "phase", e.kind().label(),
          "duration_us", e.durationNanos() / 1000);
    }
  }

  private void gcStart(ProbeEvent.GcStart e) {
    String exe = executable(e.pid());
    gc.cycleStarted(e.pid(), exe, e.trigger());
    summaries.cycle(e.pid());
    if (!heap.isWatched(e.pid())) {
      tracker.process(e.pid()).ifPresent(p -> heap.watch(e.pid(), e.controllerAddress(), p.binary()));
    }
    if (events != null && gcCycleLimit.tryAcquire()) {
      events.emit(
          "go.gc.cycle.start",
          "process.pid", e.pid(),
          "process.executable.name", exe,
          "trigger", e.trigger().label(),
          "gomaxprocs", e.procs());
    }
  }

  private void tcpStateChange(ProbeEvent.TcpStateChange e) {
    if (events != null && tcpEvents && tcpStateLimit.tryAcquire()) {
      events.emit(
          "tcp.state",
          "process.pid", e.pid(),
          "pid.source", e.pidFromOwner() ? "owner" : "context",
          "comm", e.comm(),
          "local", e.localAddress().getHostAddress() + ":" + e.localPort(),
          "peer", e.remoteAddress().getHostAddress() + ":" + e.remotePort(),
          "old", e.oldState().name(),
          "new", e.newState().name());
    }
  }
}
