package io.gopherlens.goproc;

import java.util.Optional;

/**
 * Where the programs that end a stop-the-world pause go in one binary: on the RETs of
 * runtime.startTheWorldWithSema, since the nanotime() it returns is where Go's own pause
 * accounting ends. Its entry is the fallback for a function whose RETs cannot be found.
 */
public final class PauseProbes {
  /** GC_STW_START's program for the entry. */
  static final String STW_START_AT_ENTRY = "gc_stw_start";

  private PauseProbes() {}

  public static boolean isPausePoint(ProbeCatalog.ProbePoint point) {
    return point == ProbeCatalog.GC_STW_END || point == ProbeCatalog.GC_STW_START;
  }

  /** Empty when the binary has no startTheWorldWithSema. */
  public static Optional<ProbeSites> sites(GoBinary binary, ProbeCatalog.ProbePoint point) {
    Optional<GoFunction> fn = binary.function(point.function());
    if (fn.isEmpty()) {
      return Optional.empty();
    }
    if (point == ProbeCatalog.GC_STW_END) {
      return WorldStopSlots.find(binary).map(slots -> new ProbeSites(point.program(), slots.returnFileOffsets(),
          "on its RET: Go's own pause window, worldStop.startedStopping (frame, SP-" + slots.startBelowSp()
              + ") to the nanotime() it returns"));
    }
    long[] rets;
    try {
      rets = binary.returnFileOffsets(fn.get());
    } catch (GoBinaryException undecodable) {
      rets = new long[0];
    }
    return Optional.of(rets.length > 0
        ? new ProbeSites(point.program(), rets, "on its RET: pauses end at the nanotime() it returns, as Go's do")
        : ProbeSites.at(STW_START_AT_ENTRY, fn.get().uprobeFileOffset(), "at its entry (RETs not found): pauses end µs early"));
  }
}
