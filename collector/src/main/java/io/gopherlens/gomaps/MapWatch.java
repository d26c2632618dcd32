package io.gopherlens.gomaps;

import io.gopherlens.goproc.GoProcessTracker;
import io.gopherlens.goproc.ProbeCatalog;
import io.gopherlens.log.Log;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The map growth probes alone, for the maps and demo commands: attached to chosen processes,
 * with a poller thread handing their growth events to a {@link MapTracking}.
 */
final class MapWatch implements AutoCloseable {
  private static final Log LOG = Log.of(MapWatch.class);

  private final NativeProbe probe;
  private final GoProcessTracker processes;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread poller;

  /** Loads the probe; throws {@link io.gopherlens.probe.ProbeException} if it cannot load. */
  MapWatch(MapTracking tracking, long minBytes) {
    probe = NativeProbe.open(new NativeProbe.Options(false, false, true, false, false, false), minBytes);
    processes = new GoProcessTracker(probe, List.of(ProbeCatalog.MAPS_CLASSIC_GROW, ProbeCatalog.MAPS_SWISS_SPLIT));
    poller = new Thread(() -> {
      try {
        while (running.get()) {
          probe.poll(200, e -> {
            if (e instanceof ProbeEvent.MapGrowth g) {
              tracking.accept(g);
            }
          });
        }
      } catch (RuntimeException e) {
        LOG.error("map growth poller stopped", "error", e.toString());
      }
    }, "gopherlens-maps-poller");
    poller.setDaemon(true);
    poller.start();
  }

  /** Attaches the growth probes to {@code pid}'s binary; false if it is not a Go process they fit. */
  boolean watch(int pid) throws InterruptedException {
    processes.onExec(pid);
    processes.awaitIdle();
    return processes.process(pid).isPresent();
  }

  @Override
  public void close() {
    running.set(false);
    try {
      poller.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    processes.close();
    probe.close();
  }
}
