package io.gopherlens.agent;

import io.gopherlens.export.prometheus.PrometheusServer;
import io.gopherlens.gomaps.MapMetrics;
import io.gopherlens.gomaps.MapTracking;
import io.gopherlens.goproc.GoProcessTracker;
import io.gopherlens.goproc.ProbeCatalog;
import io.gopherlens.goruntime.GcMetrics;
import io.gopherlens.goruntime.HeapMetrics;
import io.gopherlens.goruntime.GcSummaries;
import io.gopherlens.goruntime.HeapSampler;
import io.gopherlens.goruntime.HeapState;
import io.gopherlens.k8s.PodDirectory;
import io.gopherlens.k8s.PodMetrics;
import io.gopherlens.k8s.PodWatcher;
import io.gopherlens.log.EventLog;
import io.gopherlens.log.Log;
import io.gopherlens.netflow.FlowCollector;
import io.gopherlens.pipeline.AgentMetrics;
import io.gopherlens.pipeline.ProcessResources;
import io.gopherlens.pipeline.Telemetry;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeException;
import io.gopherlens.receiver.OtlpReceiver;
import io.gopherlens.receiver.ReceiverSettings;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host agent: loads the probe, attaches the tracepoints, watches Go processes, serves
 * metrics, writes events, and on stop detaches everything it attached.
 */
public final class Agent implements AutoCloseable {
  private static final Log LOG = Log.of(Agent.class);
  static final int MAX_FLOW_SERIES = 20_000;
  static final java.time.Duration SUMMARY_INTERVAL = java.time.Duration.ofMinutes(1);
  static final int FLOW_IDLE_INTERVALS = 30;

  private final AgentConfig config;
  private final AtomicBoolean running = new AtomicBoolean();
  private boolean closed;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private NativeProbe probe;
  private GoProcessTracker tracker;
  private Telemetry telemetry;
  private PrometheusServer prometheus;
  private OtlpReceiver receiver;
  private Thread poller;
  private FlowCollector flows;
  private final PodDirectory pods = new PodDirectory();
  private PodWatcher podWatcher;
  private final HeapSampler heap = new HeapSampler();
  private final GcSummaries summaries = new GcSummaries();
  private EventLog events;
  private MapTracking maps;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gopherlens-scheduler"); // flows, heap samples, summaries
            t.setDaemon(true);
            return t;
          });

  public Agent(AgentConfig config) {
    this.config = config;
  }

  /** Starts everything; throws {@link ProbeException} if the probe cannot load or attach. */
  public void start() {
    probe =
        NativeProbe.open(
            NativeProbe.Options.all()
                // Per-transition records cost the kernel and the poller ~12% of a tight
                // connect/close loop (bench/): send them only when someone prints them.
                .withTcpStateEvents(config.tcpEvents() && (config.eventsToStdout() || Telemetry.exportsLogs(config)))
                .withTcpCloseEvents(config.tcpCloseEvents()),
            config.mapsMinBytes());
    probe.attachTracepoints();
    tracker = new GoProcessTracker(probe, ProbeCatalog.AGENT);

    flows = new FlowCollector(probe, config.maxPeersPerProcess(), MAX_FLOW_SERIES, FLOW_IDLE_INTERVALS);
    String node = config.string(AgentOptions.K8S_NODE_NAME);
    if (node != null && !node.isBlank()) {
      podWatcher = PodWatcher.start(config.string(AgentOptions.K8S_API_SERVER), node, pods);
    }
    telemetry =
        Telemetry.create(config, List.of(flows.metricProducer(pods)), new ProcessResources(tracker, pods));
    SdkMeterProvider meters = telemetry.meters();
    AgentMetrics metrics = new AgentMetrics(meters.get("io.gopherlens"), probe, tracker, flows);
    PodMetrics.register(meters.get("io.gopherlens"), pods, podWatcher);
    boolean logRecords = Telemetry.exportsLogs(config);
    events =
        config.eventsToStdout() || logRecords
            ? new EventLog(
                config.eventsToStdout() ? new FileOutputStream(FileDescriptor.out) : null,
                logRecords ? telemetry.eventLogger() : null)
            : null;
    GcMetrics gc = new GcMetrics(meters.get("io.gopherlens.goruntime"));
    new HeapMetrics(meters.get("io.gopherlens.goruntime"), heap, tracker);
    maps = new MapTracking(new MapTracking.Settings(config.mapsMinBytes(),
        config.positiveInt(AgentOptions.MAPS_MAX_TRACKED), config.positiveInt(AgentOptions.MAPS_RETENTION_DIVISOR),
        config.bytes(AgentOptions.MAPS_RETENTION_MIN_BYTES)),
        pid -> tracker.process(pid).map(GoProcessTracker.GoProcess::binary), events, m -> {});
    new MapMetrics(meters.get("io.gopherlens.gomaps"), maps.tracker(), maps.findings(),
        config.positiveInt(AgentOptions.MAPS_TOP_SITES),
        pid -> tracker.executableName(pid));
    EventRouter router = new EventRouter(tracker, metrics, gc, heap, summaries, maps, events, config.tcpEvents(),
        config.gcPauseThreshold());
    meters
        .get("io.gopherlens")
        .counterBuilder("gopherlens.events.suppressed")
        .setDescription("Event lines held back by the per-kind rate limits (TCP state changes, failed connects)")
        .setUnit("{event}")
        .buildWithCallback(m -> m.record(router.suppressed()));

    prometheus = telemetry.startPrometheus(config, running::get);
    if (config.bool(AgentOptions.RECEIVER_ENABLED)) {
      receiver = new OtlpReceiver(ReceiverSettings.from(config), telemetry.sink());
      receiver.registerMetrics(meters.get("io.gopherlens"));
      receiver.start();
    }
    running.set(true);
    tracker.scanExisting();
    poller = new Thread(() -> pollLoop(router), "gopherlens-poller");
    poller.start();
    scheduler.scheduleWithFixedDelay(
        this::collectFlows, config.flowInterval().toMillis(), config.flowInterval().toMillis(), TimeUnit.MILLISECONDS);
    long mapInterval = config.duration(AgentOptions.MAPS_SAMPLE_INTERVAL).toMillis();
    scheduler.scheduleWithFixedDelay(this::sampleMaps, mapInterval, mapInterval, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(
        this::summarize, SUMMARY_INTERVAL.toSeconds(), SUMMARY_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    LOG.info(
        "agent started",
        "tracepoints", probe.tracepointFlavor(),
        "k8s_node", podWatcher == null ? "off" : config.string(AgentOptions.K8S_NODE_NAME),
        "otlp_receiver", receiver == null ? "off" : "http " + receiver.httpAddress() + ", grpc " + receiver.grpcAddress(),
        "prometheus", prometheus == null ? "off" : "http://" + config.prometheusListen().getHostString() + ":" + prometheus.port() + "/metrics",
        "export", telemetry.destinations());
  }

  private void pollLoop(EventRouter router) {
    try {
      while (running.get()) {
        probe.poll(200, router);
      }
    } catch (RuntimeException e) {
      LOG.error("event poller stopped", "error", e.toString());
      running.set(false);
    } finally {
      stopped.countDown();
    }
  }

  private void collectFlows() {
    try {
      flows.collect();
    } catch (RuntimeException e) {
      LOG.warn("TCP flow collection failed; will retry next interval", "error", e.toString());
    }
    heap.sampleAll();
  }

  private void sampleMaps() {
    try {
      maps.tracker().sampleAll();
    } catch (RuntimeException e) {
      LOG.warn("Go map sampling failed; will retry next interval", "error", e.toString());
    }
  }

  /** One line per Go process that ran GC in the last interval. */
  private void summarize() {
    if (events == null) {
      return;
    }
    for (GcSummaries.Summary s : summaries.drain()) {
      if (s.cycles() == 0 && s.pauses() == 0) {
        continue;
      }
      HeapState h = heap.latest().get(s.pid());
      events.emit(
          "go.runtime.summary",
          "process.pid", s.pid(),
          "process.executable.name", tracker.executableName(s.pid()),
          "interval_s", SUMMARY_INTERVAL.toSeconds(),
          "gc_cycles", s.cycles(),
          "gc_pause_total_us", s.pauseTotalNanos() / 1000,
          "gc_pause_max_us", s.pauseMaxNanos() / 1000,
          "heap_inuse_bytes", h == null ? null : h.heapInUse(),
          "heap_released_bytes", h == null ? null : h.heapReleased(),
          "heap_goal_bytes", h == null ? null : h.heapGoal(),
          "heap_live_bytes", h == null ? null : h.heapMarked(),
          "stack_inuse_bytes", h == null ? null : h.memStats().map(HeapState.MemStatsReading::stackInUse).orElse(null),
          "runtime_pause_total_ns", h == null ? null : h.memStats().map(HeapState.MemStatsReading::pauseTotalNanos).orElse(null));
    }
  }

  /** Blocks until the Go processes found so far are analysed and probed (tests). */
  void awaitDiscovery() throws InterruptedException {
    tracker.awaitIdle();
  }

  /** Blocks until {@link #close} is called or the poller dies. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops polling, then detaches every probe; safe to call twice and from a shutdown hook. */
  @Override
  public synchronized void close() {
    if (closed) {
      return; // the failed start's own close, then the shutdown hook's
    }
    closed = true;
    running.set(false);
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (poller != null) {
      try {
        poller.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (receiver != null) receiver.close();
    if (podWatcher != null) podWatcher.close();
    if (prometheus != null) prometheus.close();
    if (tracker != null) tracker.close();
    if (telemetry != null) telemetry.close();
    if (probe != null) probe.close();
    stopped.countDown();
    LOG.info("agent stopped; every probe detached");
  }
}
