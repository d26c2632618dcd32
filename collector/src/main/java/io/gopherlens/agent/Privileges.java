package io.gopherlens.agent;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before touching BPF, that this process may load programs and read other processes. */
public final class Privileges {
  private static final int CAP_SYS_ADMIN = 21;
  private static final int CAP_PERFMON = 38;
  private static final int CAP_BPF = 39;

  private Privileges() {}

  /** Returns null when sufficient, else a message saying what is missing and what to do. */
  public static String problem() {
    BigInteger effective;
    try {
      effective =
          Files.readAllLines(Path.of("/proc/self/status")).stream()
              .filter(l -> l.startsWith("CapEff:"))
              .map(l -> new BigInteger(l.substring(7).trim(), 16))
              .findFirst()
              .orElse(BigInteger.ZERO);
    } catch (IOException e) {
      return "cannot read /proc/self/status to check capabilities: " + e.getMessage();
    }
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
