package io.gopherlens.goproc;

import java.util.List;

/**
 * Every Go runtime function gopherlens probes or reads, with why. One place, so `inspect`
 * reports exactly what the agent will try to attach and a version change shows up as an
 * unresolved entry rather than a silent gap.
 */
public final class ProbeCatalog {
  /** Which binaries a probe point applies to. */
  public enum Applies {
    ALL,
    CLASSIC_MAPS,
    SWISS_MAPS,
    /** Runtimes whose stopTheWorldWithSema takes no stwReason (Go < 1.21). */
    NO_STW_REASON,
    /** Binaries where startTheWorldWithSema's worldStop cannot be read (WorldStopSlots): Go < 1.22. */
    NO_WORLD_STOP_SLOTS,
    /** Binaries where it can: one trap per pause. */
    WORLD_STOP_SLOTS
  }

  /** stopTheWorldWithSema takes a stwReason argument since Go 1.21. */
  public static boolean passesStwReason(GoBinary binary) {
    return atLeast(binary, 21);
  }

  /** startTheWorldWithSema(now, w worldStop) gets the pause's reason and start since Go 1.22. */
  public static boolean passesWorldStop(GoBinary binary) {
    return atLeast(binary, 22);
  }

  private static boolean atLeast(GoBinary binary, int minor) {
    return binary.version().map(v -> v.major() > 1 || v.minor() >= minor).orElse(false);
  }

  /**
   * @param name stable identifier shown by `inspect`
   * @param function the pclntab name of the Go function
   * @param program the BPF program attached there, or null when not attached by the agent yet
   * @param purpose one line for operators
   */
  public record ProbePoint(String name, String function, String program, Applies applies, String purpose) {
    public boolean attachedByAgent() {
      return program != null;
    }

    public boolean appliesTo(GoBinary binary) {
      return switch (applies) {
        case ALL -> true;
        case CLASSIC_MAPS -> GoBinary.MAPS_CLASSIC.equals(binary.mapImplementation());
        case SWISS_MAPS -> GoBinary.MAPS_SWISS.equals(binary.mapImplementation());
        case NO_STW_REASON -> !passesStwReason(binary);
        case NO_WORLD_STOP_SLOTS -> WorldStopSlots.find(binary).isEmpty();
        case WORLD_STOP_SLOTS -> WorldStopSlots.find(binary).isPresent();
      };
    }
  }

  /** Called once per GC cycle that really starts; its receiver is &runtime.gcController. */
  public static final ProbePoint GC_CYCLE_START =
      new ProbePoint(
          "gc.cycle.start",
          "runtime.(*gcControllerState).startCycle",
          "gc_start",
          Applies.ALL,
          "one event per GC cycle with its trigger; receiver reveals &gcController in stripped binaries");

  /**
   * Marks a pause as mark termination on runtimes that pass no stwReason (Go < 1.21); newer ones
   * name the pause themselves, which saves a trap per GC cycle.
   */
  public static final ProbePoint GC_MARK_TERMINATION =
      new ProbePoint("gc.mark.termination", "runtime.gcMarkTermination", "gc_mark_termination", Applies.NO_STW_REASON,
          "end of marking, inside the second stop-the-world pause of a cycle");

  public static final ProbePoint GC_STW_STOP =
      new ProbePoint("gc.stw.stop", "runtime.stopTheWorldWithSema", "gc_stw_stop", Applies.NO_WORLD_STOP_SLOTS,
          "start of each stop-the-world pause");

  /** On the function's RETs, or its entry where they cannot be found (PauseProbes). */
  public static final ProbePoint GC_STW_START =
      new ProbePoint("gc.stw.start", "runtime.startTheWorldWithSema", "gc_stw_start_ret", Applies.NO_WORLD_STOP_SLOTS,
          "end of each stop-the-world pause");

  /**
   * One trap per pause where the function's frame holds the worldStop it was handed (Go 1.22+,
   * WorldStopSlots), on its RETs; elsewhere GC_STW_STOP and GC_STW_START take two.
   */
  public static final ProbePoint GC_STW_END =
      new ProbePoint("gc.stw.end", "runtime.startTheWorldWithSema", "gc_stw_ret", Applies.WORLD_STOP_SLOTS,
          "end of each stop-the-world pause, with its reason and start from the worldStop argument");

  /**
   * Every allocation > 32 KiB; the BPF side keeps those a classic map's growth asked for
   * (hashGrow or makemap on the frame-pointer chain) and that reach maps.min_bytes. Small maps'
   * bucket arrays are small objects and never get here.
   */
  public static final ProbePoint MAPS_CLASSIC_GROW =
      new ProbePoint("maps.classic.grow", "runtime.(*mcache).allocLarge", "maps_classic_alloc", Applies.CLASSIC_MAPS,
          "large allocations; reports a classic map's new bucket array of at least maps.min_bytes");

  /**
   * Reached only by maps beyond one 1024-slot table (every table at or below that grows in
   * place); the uprobe sits inside the branch that doubles the directory (MapProbes).
   */
  public static final ProbePoint MAPS_SWISS_SPLIT =
      new ProbePoint("maps.swiss.split", "internal/runtime/maps.(*Map).installTableSplit", "maps_swiss_split",
          Applies.SWISS_MAPS, "a Swiss table split that doubles the directory; the map pointer is the receiver");

  /** What the agent attaches, in every Go binary each point applies to. */
  public static final List<ProbePoint> AGENT =
      List.of(GC_CYCLE_START, GC_MARK_TERMINATION, GC_STW_STOP, GC_STW_START, GC_STW_END, MAPS_CLASSIC_GROW,
          MAPS_SWISS_SPLIT);

  public static final List<ProbePoint> ALL = AGENT;

  private ProbeCatalog() {}

  /** The points that apply to this binary's runtime. */
  public static List<ProbePoint> forBinary(GoBinary binary) {
    return ALL.stream().filter(p -> p.appliesTo(binary)).toList();
  }
}
