package io.gopherlens.goproc;

import io.gopherlens.log.Log;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds Go processes (a /proc scan at start, then exec/exit events) and attaches the
 * configured uprobes once per binary: uprobes live on the inode, so 100 processes of one
 * binary cost one analysis and one attachment. Binaries are opened through /proc/PID/exe,
 * which resolves inside the process's own mount namespace (containers). Work runs on one
 * background thread behind a bounded queue so the event poller never blocks on ELF parsing.
 */
public final class GoProcessTracker implements AutoCloseable {
  /** A running Go process and what was learned about its binary. */
  public record GoProcess(int pid, String executableName, Path executable, GoBinary binary, long cookie) {}

  private static final Log LOG = Log.of(GoProcessTracker.class);
  private static final int MAX_REMEMBERED_BINARIES = 16_384;
  private static final int QUEUE_CAPACITY = 16_384;
  /** Low bits of each uprobe cookie carry per-binary facts for the BPF side (gc.h). */
  static final int COOKIE_FLAG_BITS = 32;
  static final long COOKIE_STW_REASON = 0x1; // GL_GC_COOKIE_STW_REASON
  private static final int COOKIE_REASON_SLOT_SHIFT = 8; // GL_GC_COOKIE_REASON_SLOT
  private static final int COOKIE_START_SLOT_SHIFT = 20; // GL_GC_COOKIE_START_SLOT

  /** The binary id a uprobe cookie names. */
  public static long binaryId(long cookie) {
    return cookie >>> COOKIE_FLAG_BITS;
  }

  static long cookieFlags(GoBinary go) {
    long flags = ProbeCatalog.passesStwReason(go) ? COOKIE_STW_REASON : 0;
    Optional<WorldStopSlots.Slots> slots = WorldStopSlots.find(go);
    if (slots.isPresent()) {
      flags |= (long) slots.get().reasonBelowSp() << COOKIE_REASON_SLOT_SHIFT;
      flags |= (long) slots.get().startBelowSp() << COOKIE_START_SLOT_SHIFT;
    }
    return flags;
  }

  private final NativeProbe probe;
  private final List<ProbeCatalog.ProbePoint> probePoints;
  private final ThreadPoolExecutor worker;
  private final Path procRoot;
  private final int selfPid = (int) ProcessHandle.current().pid();
  private final AtomicLong nextBinaryId = new AtomicLong(1);
  private final AtomicLong droppedTasks = new AtomicLong();

  /** Every binary looked at, Go or not, so non-Go processes cost one look per inode. */
  private final Map<BinaryKey, Binary> binaries =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<BinaryKey, Binary> eldest) {
          return size() > MAX_REMEMBERED_BINARIES && eldest.getValue().pids.isEmpty();
        }
      };

  private final Map<Integer, GoProcess> processes = new ConcurrentHashMap<>();
  private final Map<Integer, Binary> binaryOfPid = new ConcurrentHashMap<>();

  public GoProcessTracker(NativeProbe probe, List<ProbeCatalog.ProbePoint> probePoints) {
    this(probe, probePoints, Path.of("/proc"));
  }

  GoProcessTracker(NativeProbe probe, List<ProbeCatalog.ProbePoint> probePoints, Path procRoot) {
    this.probe = probe;
    this.probePoints = List.copyOf(probePoints);
    this.procRoot = procRoot;
    this.worker =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY),
            r -> {
              Thread t = new Thread(r, "gopherlens-goproc");
              t.setDaemon(true);
              return t;
            },
            (r, executor) -> droppedTasks.incrementAndGet());
  }

  /** Scans /proc for processes that are already running. */
  public void scanExisting() {
    worker.execute(this::scan);
  }

  public void onExec(int pid) {
    worker.execute(() -> examine(pid));
  }

  public void onExit(int pid) {
    worker.execute(() -> forget(pid));
  }

  public Optional<GoProcess> process(int pid) {
    return Optional.ofNullable(processes.get(pid));
  }

  /**
   * The executable name events of this pid are labelled with. A new process of a binary whose
   * probes are already attached fires them before discovery reaches it: ask /proc then.
   */
  public String executableName(int pid) {
    GoProcess known = processes.get(pid);
    return known != null ? known.executableName() : executableName(procRoot.resolve(Integer.toString(pid)).resolve("exe"));
  }

  public int goProcessCount() {
    return processes.size();
  }

  /** Discovery tasks refused because the queue was full (an exec storm). */
  public long droppedTasks() {
    return droppedTasks.get();
  }

  /** Blocks until every task queued so far has run (tests, orderly start-up). */
  public void awaitIdle() throws InterruptedException {
    var done = new java.util.concurrent.CountDownLatch(1);
    worker.execute(done::countDown);
    done.await();
  }

  private void scan() {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(procRoot, "[0-9]*")) {
      for (Path dir : dirs) {
        examine(Integer.parseInt(dir.getFileName().toString()));
      }
    } catch (IOException | NumberFormatException e) {
      LOG.warn("failed to scan processes", "proc", procRoot, "error", e.toString());
    }
  }

  private void examine(int pid) {
    if (pid == selfPid) {
      return;
    }
    forget(pid); // an exec replaces whatever the pid ran before
    Path exe = procRoot.resolve(Integer.toString(pid)).resolve("exe");
    BinaryKey key;
    try {
      key = BinaryKey.of(exe);
    } catch (IOException | UnsupportedOperationException e) {
      return; // kernel thread, already exited, or not ours to read
    }
    Binary binary;
    synchronized (binaries) {
      binary = binaries.computeIfAbsent(key, k -> analyse(k, exe, pid));
    }
    if (binary.go == null) {
      return;
    }
    // Known before its probes are attached: the first GC events arrive while attach() runs.
    String name = executableName(exe);
    processes.put(pid, new GoProcess(pid, name, exe, binary.go, binary.cookie));
    if (binary.links.isEmpty() && !attach(binary, exe, pid)) {
      processes.remove(pid);
      return;
    }
    binary.pids.add(pid);
    binaryOfPid.put(pid, binary);
    LOG.info(
        "watching Go process",
        "pid", pid,
        "executable", name,
        "goVersion", binary.go.goVersion(),
        "stripped", binary.go.stripped());
  }

  private Binary analyse(BinaryKey key, Path exe, int pid) {
    try {
      GoBinary go = GoBinary.open(exe);
      return new Binary(go, (nextBinaryId.getAndIncrement() << COOKIE_FLAG_BITS) | cookieFlags(go));
    } catch (GoBinaryException notGo) {
      LOG.debug("not watching process", "pid", pid, "reason", notGo.getMessage());
      return new Binary(null, 0);
    }
  }

  private boolean attach(Binary binary, Path exe, int pid) {
    List<Long> links = new ArrayList<>();
    for (ProbeCatalog.ProbePoint point : probePoints) {
      if (!point.appliesTo(binary.go)) {
        continue;
      }
      Optional<ProbeSites> sites = sites(binary, point, pid);
      if (sites.isEmpty()) {
        continue;
      }
      for (long offset : sites.get().fileOffsets()) {
        try {
          links.add(probe.attachUprobe(sites.get().program(), exe.toString(), offset, -1, binary.cookie));
        } catch (ProbeException e) {
          // The process may have exited between the scan and the attach: not an error.
          LOG.warn("failed to attach uprobe", "pid", pid, "function", point.function(), "error", e.getMessage());
        }
      }
    }
    binary.links.addAll(links);
    return !links.isEmpty();
  }

  /** Where the point's program goes in this binary; empty (and why, logged) when nowhere. */
  private Optional<ProbeSites> sites(Binary binary, ProbeCatalog.ProbePoint point, int pid) {
    if (MapProbes.isMapPoint(point)) {
      long offset = configureMaps(binary, point, pid);
      return offset < 0 ? Optional.empty() : Optional.of(ProbeSites.at(point.program(), offset, "map growth"));
    }
    Optional<ProbeSites> sites = PauseProbes.isPausePoint(point)
        ? PauseProbes.sites(binary.go, point)
        : binary.go.function(point.function()).map(fn -> ProbeSites.at(point.program(), fn.uprobeFileOffset(), "entry"));
    if (sites.isEmpty()) {
      LOG.warn("Go function not found; probe not attached", "pid", pid, "function", point.function());
    } else if (!sites.get().program().equals(point.program())) {
      LOG.info("probe placed less exactly", "pid", pid, "function", point.function(), "how", sites.get().how());
    }
    return sites;
  }

  /**
   * Writes the binary's settings for the map growth programs and returns the point's uprobe
   * file offset; -1 (and why, logged) if its maps cannot be watched.
   */
  private long configureMaps(Binary binary, ProbeCatalog.ProbePoint point, int pid) {
    MapProbes.Settings settings = MapProbes.settings(binary.go, point);
    if (!settings.supported()) {
      LOG.info("map growth not watched; GC probes unaffected", "pid", pid, "goVersion", binary.go.goVersion(),
          "reason", settings.unsupportedReason());
      return -1;
    }
    try {
      probe.updateMap(MapProbes.SETTINGS_MAP, MapProbes.key(binary.cookie), settings.value());
      binary.mapSettings = true;
      return settings.uprobeFileOffset();
    } catch (ProbeException e) {
      LOG.warn("failed to store map probe settings; map growth not watched", "pid", pid, "error", e.getMessage());
      return -1;
    }
  }

  private void forget(int pid) {
    processes.remove(pid);
    Binary binary = binaryOfPid.remove(pid);
    if (binary == null) {
      return;
    }
    binary.pids.remove(pid);
    if (binary.pids.isEmpty()) {
      for (long link : binary.links) {
        try {
          probe.detach(link);
        } catch (ProbeException e) {
          LOG.warn("failed to detach uprobe", "link", link, "error", e.getMessage());
        }
      }
      binary.links.clear();
      if (binary.mapSettings) {
        try {
          probe.deleteMapEntry(MapProbes.SETTINGS_MAP, MapProbes.key(binary.cookie));
        } catch (ProbeException e) {
          LOG.warn("failed to delete map probe settings", "cookie", binary.cookie, "error", e.getMessage());
        }
        binary.mapSettings = false;
      }
    }
  }

  private static String executableName(Path exe) {
    try {
      return Files.readSymbolicLink(exe).getFileName().toString().replace(" (deleted)", "");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Stops discovery and waits for a running task, so the probe can be closed after. */
  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Identity of an executable file: what a uprobe attaches to. */
  record BinaryKey(long device, long inode) {
    static BinaryKey of(Path exe) throws IOException {
      Map<String, Object> attrs = Files.readAttributes(exe, "unix:dev,ino");
      return new BinaryKey((Long) attrs.get("dev"), (Long) attrs.get("ino"));
    }
  }

  private static final class Binary {
    final GoBinary go; // null: looked at, not Go
    final long cookie;
    final List<Long> links = new ArrayList<>();
    final Set<Integer> pids = new HashSet<>();
    boolean mapSettings; // an entry in MapProbes.SETTINGS_MAP to delete with the links

    Binary(GoBinary go, long cookie) {
      this.go = go;
      this.cookie = cookie;
    }
  }
}
