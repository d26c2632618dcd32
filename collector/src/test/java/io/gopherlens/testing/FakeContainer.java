package io.gopherlens.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real cgroup named as containerd names a container's ({@code cri-containerd-<id>.scope}),
 * so a test process moved into it has that container id in /proc/PID/cgroup, exactly where
 * the agent reads it. Needs root and a cgroup v2 mount; closing moves the processes back.
 */
public final class FakeContainer implements AutoCloseable {
  private final Path mount;
  private final Path parent;
  private final Path scope;
  public final String id;

  private FakeContainer(Path mount) throws IOException {
    this.mount = mount;
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 4; i++) hex.append(String.format("%016x", ThreadLocalRandom.current().nextLong()));
    this.id = hex.toString();
    this.parent = mount.resolve("gopherlens-test-" + id.substring(0, 8));
    this.scope = parent.resolve("cri-containerd-" + id + ".scope");
    Files.createDirectories(scope);
  }

  public static FakeContainer create() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
      String[] f = line.split(" ");
      if (f.length > 2 && f[2].equals("cgroup2")) return new FakeContainer(Path.of(f[1]));
    }
    throw new IllegalStateException("no cgroup2 mount in /proc/mounts: mount one (mount -t cgroup2 none /sys/fs/cgroup/unified)");
  }

  /** Moves a running process into the container's cgroup. */
  public void add(long pid) throws IOException {
    Files.writeString(scope.resolve("cgroup.procs"), Long.toString(pid));
  }

  @Override
  public void close() throws IOException {
    for (String pid : Files.readAllLines(scope.resolve("cgroup.procs"))) {
      try {
        Files.writeString(mount.resolve("cgroup.procs"), pid);
      } catch (IOException exited) {
        // the process ended meanwhile
      }
    }
    for (Path dir : List.of(scope, parent)) Files.deleteIfExists(dir);
  }
}
