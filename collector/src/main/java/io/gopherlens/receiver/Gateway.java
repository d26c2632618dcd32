package io.gopherlens.receiver;

import io.gopherlens.agent.AgentConfig;
import io.gopherlens.export.prometheus.PrometheusServer;
import io.gopherlens.log.Log;
import io.gopherlens.pipeline.ProcessResources;
import io.gopherlens.pipeline.Telemetry;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gateway mode: the OTLP receiver and the export pipeline (Prometheus endpoint, OTLP, remote
 * write, Loki) without the eBPF probe, so it needs no privileges. Other exporters send here as
 * they would to an OpenTelemetry Collector gateway.
 */
public final class Gateway implements AutoCloseable {
  private static final Log LOG = Log.of(Gateway.class);

  private final AgentConfig config;
  private final AtomicBoolean running = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Telemetry telemetry;
  private OtlpReceiver receiver;
  private PrometheusServer prometheus;

  public Gateway(AgentConfig config) {
    this.config = config;
  }

  /** Starts the pipeline, then the listeners; throws naming what could not start. */
  public synchronized void start() {
    ReceiverSettings settings = ReceiverSettings.from(config);
    if (settings.httpListen() == null && settings.grpcListen() == null) {
      throw new IllegalArgumentException("receiver.http.listen and receiver.grpc.listen are both off: the gateway would receive nothing");
    }
    telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE);
    receiver = new OtlpReceiver(settings, telemetry.sink());
    receiver.registerMetrics(telemetry.meters().get("io.gopherlens"));
    prometheus = telemetry.startPrometheus(config, running::get);
    receiver.start();
    running.set(true);
    LOG.info(
        "gateway started",
        "otlp_http", receiver.httpAddress() == null ? "off" : receiver.httpAddress().toString(),
        "otlp_grpc", receiver.grpcAddress() == null ? "off" : receiver.grpcAddress().toString(),
        "prometheus", prometheus == null ? "off" : "http://" + config.prometheusListen().getHostString() + ":" + prometheus.port() + "/metrics");
  }

  public OtlpReceiver receiver() {
    return receiver;
  }

  /** Blocks until {@link #close}. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops taking requests first, then pushes what the pipeline holds; safe to call twice. */
  @Override
  public synchronized void close() {
    running.set(false);
    if (receiver != null) receiver.close();
    if (prometheus != null) prometheus.close();
    if (telemetry != null) telemetry.close();
    receiver = null;
    prometheus = null;
    telemetry = null;
    stopped.countDown();
  }
}
