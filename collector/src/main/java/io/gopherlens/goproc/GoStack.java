package io.gopherlens.goproc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Names the frames of a stack of return addresses taken from a Go process (for example {@code
 * ProbeEvent.MapGrowth.stack()}) with the binary's .gopclntab, stripped binaries included. A
 * return address points after its CALL; the frame's line is that of the call, so each address
 * is looked up one byte earlier, as the Go runtime's own traceback does.
 */
public final class GoStack {
  private GoStack() {}

  /**
   * One location per return address, innermost first; an address outside Go's text (cgo, a
   * torn frame chain) gives a location with function "?" and line -1.
   *
   * @param loadBias runtime minus link-time address (0 unless PIE)
   */
  public static List<SourceLocation> symbolize(GoBinary binary, long loadBias, long[] returnAddresses) {
    List<SourceLocation> frames = new ArrayList<>(returnAddresses.length);
    for (long pc : returnAddresses) {
      frames.add(binary.symbolize(pc - loadBias - 1).orElse(new SourceLocation("?", "", -1)));
    }
    return frames;
  }

  /**
   * The innermost frame outside the Go runtime, looking up file and line for that frame only:
   * what a growth event needs, at a fraction of {@link #symbolize}'s cost.
   */
  public static Optional<SourceLocation> firstUserFrame(GoBinary binary, long loadBias, long[] returnAddresses) {
    for (long ret : returnAddresses) {
      long pc = ret - loadBias - 1;
      Optional<String> name = binary.functionNameAt(pc);
      if (name.isPresent() && !isRuntime(name.get())) {
        return binary.symbolize(pc);
      }
    }
    return Optional.empty();
  }

  /** The runtime and its internal packages (runtime, runtime/internal/..., internal/runtime/...). */
  static boolean isRuntime(String function) {
    return function.startsWith("runtime.") || function.startsWith("runtime/internal/")
        || function.startsWith("internal/runtime/");
  }
}
