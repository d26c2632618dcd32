package io.gopherlens.goproc;

import java.util.Arrays;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Finds the link-time address of {@code runtime.memstats} in a binary without symbols.
 * {@code runtime.gcMarkTermination} (Go 1.19 to 1.27) writes the cycle's pause, end time,
 * count and CPU fraction straight into memstats; each write is a RIP-relative operand at
 * memstats + a field offset the runtime layout knows. The base that explains the most
 * distinct fields is memstats; fewer than {@value #MIN_FIELDS} agreeing fields, or a tie,
 * means this build is not understood and nothing is returned rather than a guess.
 */
public final class MemstatsLocator {
  static final String FUNCTION = "runtime.gcMarkTermination";
  static final int MIN_FIELDS = 4;

  private MemstatsLocator() {}

  /** memstats' link-time address (add the load bias for PIE), or empty with no confident answer. */
  public static OptionalLong linkAddress(GoBinary binary, RuntimeLayout.MemStats layout) {
    return binary.function(FUNCTION).map(fn -> best(binary.dataReferences(fn), layout)).orElse(OptionalLong.empty());
  }

  static OptionalLong best(long[] references, RuntimeLayout.MemStats m) {
    int[] fields = {m.lastGcUnix(), m.pauseTotalNs(), m.pauseNs(), m.pauseEnd(), m.numGc(), m.numForcedGc(),
        m.gcCpuFraction()};
    Set<Long> targets = new HashSet<>();
    Arrays.stream(references).forEach(targets::add);
    long bestBase = 0;
    int bestScore = 0;
    boolean tie = false;
    Set<Long> tried = new HashSet<>();
    for (long target : targets) {
      for (int field : fields) {
        long base = target - field;
        if (!tried.add(base)) {
          continue;
        }
        int score = 0;
        for (int f : fields) {
          score += targets.contains(base + f) ? 1 : 0;
        }
        if (score > bestScore) {
          bestBase = base;
          bestScore = score;
          tie = false;
        } else if (score == bestScore) {
          tie = true;
        }
      }
    }
    return bestScore >= MIN_FIELDS && !tie ? OptionalLong.of(bestBase) : OptionalLong.empty();
  }
}
