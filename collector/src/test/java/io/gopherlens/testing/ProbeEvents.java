package io.gopherlens.testing;

import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeEvent;
import java.util.List;

/** Collecting what a probe reported during a test. */
public final class ProbeEvents {
  private ProbeEvents() {}

  /** Polls until the ring buffers stay empty for half a second (at most 10 s: host traffic). */
  public static void drain(NativeProbe probe, List<ProbeEvent> events) {
    long start = System.nanoTime();
    long quietSince = start;
    while (System.nanoTime() - quietSince < 500_000_000L && System.nanoTime() - start < 10_000_000_000L) {
      if (probe.poll(100, events::add) > 0) {
        quietSince = System.nanoTime();
      }
    }
  }
}
