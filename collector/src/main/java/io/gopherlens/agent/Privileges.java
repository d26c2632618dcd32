package io.gopherlens.agent;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before touching BPF, that this process may load programs and read other processes. */
public final class Privileges {
  private static final int CAP_DAC_READ_SEARCH = 2;
  private static final int CAP_SYS_PTRACE = 19;
  private static final int CAP_SYS_ADMIN = 21;
  private static final int CAP_PERFMON = 38;
  private static final int CAP_BPF = 39;

  private Privileges() {}

  /** Returns null when sufficient, else a message saying what is missing and what to do. */
  public static String problem() {
    BigInteger effective = effective();
    if (effective == null) {
      return "cannot read /proc/self/status to check capabilities";
    }
    return check(effective);
  }

  /** What works only in part with the capabilities this process has: one line each. */
  public static java.util.List<String> degraded() {
    BigInteger effective = effective();
    java.util.List<String> out = new java.util.ArrayList<>();
    if (effective == null || effective.testBit(CAP_SYS_ADMIN)) {
      return out;
    }
    // Measured on kernel 6.18: perf_event_open of a uprobe fails with EACCES under CAP_PERFMON alone.
    out.add("no CAP_SYS_ADMIN: uprobes are refused, so Go GC, heap and map probes will not attach (TCP flows still work)");
    if (!effective.testBit(CAP_SYS_PTRACE)) {
      out.add("no CAP_SYS_PTRACE: other processes' memory and executables cannot be read (no heap or map state)");
    }
    if (!effective.testBit(CAP_DAC_READ_SEARCH)) {
      out.add("no CAP_DAC_READ_SEARCH: binaries that other users keep unreadable cannot be analysed");
    }
    return out;
  }

  private static BigInteger effective() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
              .filter(l -> l.startsWith("CapEff:"))
              .map(l -> new BigInteger(l.substring(7).trim(), 16))
              .findFirst()
              .orElse(BigInteger.ZERO);
    } catch (IOException e) {
      return null;
    }
  }

  private static String check(BigInteger effective) {
    boolean admin = effective.testBit(CAP_SYS_ADMIN);
    boolean bpf = admin || (effective.testBit(CAP_BPF) && effective.testBit(CAP_PERFMON));
    if (!bpf) {
      return "gopherlens needs root, or the capabilities CAP_BPF and CAP_PERFMON (plus "
          + "CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH to read other processes): run it with sudo "
          + "or grant them, e.g. in the DaemonSet's securityContext";
    }
    return null;
  }
}
