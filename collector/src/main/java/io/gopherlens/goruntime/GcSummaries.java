package io.gopherlens.goruntime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-process GC activity since the last summary: cycles, total and longest pause. The agent
 * turns it into one log record per process per summary interval, so a GC-heavy service costs
 * one line a minute rather than one per cycle.
 */
public final class GcSummaries {
  /** One process's activity over an interval. */
  public record Summary(int pid, long cycles, long pauses, long pauseTotalNanos, long pauseMaxNanos) {}

  private static final class Window {
    long cycles;
    long pauses;
    long pauseTotal;
    long pauseMax;
  }

  private final Map<Integer, Window> windows = new ConcurrentHashMap<>();

  public void cycle(int pid) {
    Window w = windows.computeIfAbsent(pid, p -> new Window());
    synchronized (w) {
      w.cycles++;
    }
  }

  public void pause(int pid, long nanos) {
    Window w = windows.computeIfAbsent(pid, p -> new Window());
    synchronized (w) {
      w.pauses++;
      w.pauseTotal += nanos;
      w.pauseMax = Math.max(w.pauseMax, nanos);
    }
  }

  public void forget(int pid) {
    windows.remove(pid);
  }

  /** The activity of every process since the last call, which starts new windows. */
  public List<Summary> drain() {
    List<Summary> out = new ArrayList<>();
    for (Map.Entry<Integer, Window> e : windows.entrySet()) {
      Window w = e.getValue();
      synchronized (w) {
        out.add(new Summary(e.getKey(), w.cycles, w.pauses, w.pauseTotal, w.pauseMax));
        w.cycles = w.pauses = w.pauseTotal = w.pauseMax = 0;
      }
    }
    return out;
  }
}
