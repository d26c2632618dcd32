package io.gopherlens.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A private network namespace with loopback up, removed on close. Needs root. */
public final class NetNamespace implements AutoCloseable {
  private final String name;

  private NetNamespace(String name) {
    this.name = name;
  }

  public static NetNamespace create(String prefix) throws IOException, InterruptedException {
    NetNamespace ns = new NetNamespace(prefix + "-" + ProcessHandle.current().pid());
    exec(List.of("ip", "netns", "del", ns.name), true);
    exec(List.of("ip", "netns", "add", ns.name), false);
    ns.run("ip", "link", "set", "lo", "up");
    return ns;
  }

  /** Runs a command inside the namespace and fails on a non-zero exit. */
  public void run(String... cmd) throws IOException, InterruptedException {
    exec(wrapCommand(List.of(cmd)), false);
  }

  public List<String> wrapCommand(List<String> cmd) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
    all.addAll(cmd);
    return all;
  }

  /** A launcher path usable with {@link Workload#start}: a script running the binary inside. */
  public Path wrap(Path binary) throws IOException {
    Path script = Path.of(System.getProperty("java.io.tmpdir"), name + "-" + binary.getFileName() + ".sh");
    java.nio.file.Files.writeString(
        script, "#!/bin/sh\nexec ip netns exec " + name + " " + binary + " \"$@\"\n", StandardCharsets.UTF_8);
    script.toFile().setExecutable(true);
    return script;
  }

  private static void exec(List<String> cmd, boolean mayFail) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 && !mayFail) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    exec(List.of("ip", "netns", "del", name), true);
  }
}
