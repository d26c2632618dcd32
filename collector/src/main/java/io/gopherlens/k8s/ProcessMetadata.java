package io.gopherlens.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Executable name and container id of a pid, read once from /proc and cached (bounded, LRU).
 * The container id is the 64-hex id that container runtimes put in the cgroup path
 * (docker-<id>.scope, cri-containerd-<id>.scope, crio-<id>.scope, .../<id>).
 */
public final class ProcessMetadata {
  /** What is known about one process; empty strings when unknown. */
  public record Info(String executableName, String containerId) {}

  private static final Pattern CONTAINER_ID = Pattern.compile("([0-9a-f]{64})(?:\\.scope)?$");
  private static final int MAX_CACHED = 8192;

  private final Path procRoot;
  private final Map<Integer, Info> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Info> eldest) {
          return size() > MAX_CACHED;
        }
      };

  public ProcessMetadata() {
    this(Path.of("/proc"));
  }

  ProcessMetadata(Path procRoot) {
    this.procRoot = procRoot;
  }

  /** Looks the pid up; {@code fallbackName} (the kernel's comm) is used when /proc is gone. */
  public synchronized Info of(int pid, String fallbackName) {
    Info info = cache.get(pid);
    if (info == null) {
      Path dir = procRoot.resolve(Integer.toString(pid));
      String exe = executableName(dir);
      info = new Info(exe.isEmpty() ? fallbackName : exe, containerId(dir));
      if (!exe.isEmpty()) {
        cache.put(pid, info); // do not cache a guess for a process that already exited
      }
    }
    return info;
  }

  /** Drops a pid that exited, so a reused pid is looked up afresh. */
  public synchronized void forget(int pid) {
    cache.remove(pid);
  }

  private static String executableName(Path dir) {
    try {
      return Files.readSymbolicLink(dir.resolve("exe")).getFileName().toString().replace(" (deleted)", "");
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }

  static String containerId(Path dir) {
    List<String> lines;
    try {
      lines = Files.readAllLines(dir.resolve("cgroup"));
    } catch (IOException e) {
      return "";
    }
    for (String line : lines) {
      String path = line.substring(line.lastIndexOf(':') + 1);
      for (String part : path.split("/")) {
        Matcher m = CONTAINER_ID.matcher(part);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return "";
  }
}
