package io.gopherlens.gomaps;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gopherlens.agent.CommandArgs;
import io.gopherlens.agent.Durations;
import io.gopherlens.goproc.GoBinary;
import io.gopherlens.goproc.GoBinaryException;
import io.gopherlens.goruntime.ProcessMemory;
import io.gopherlens.probe.ProbeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * `gopherlens maps <pid>`: the process's Go maps by the memory they own. Exit codes: 0 report
 * printed, 1 the process cannot be read, 2 usage or not a Go process.
 */
public final class MapsCommand {
  static final String USAGE =
      """
      Usage: java -jar gopherlens.jar maps <pid> [--json] [--top N] [--watch-for DUR]

      Reports the Go maps of a running process that own the most memory: where each was
      created (function, file:line), live entries, capacity in slots, bytes owned, fill ratio
      and how long it has been watched. A map below 1/8 full that owns at least 1 MiB is marked
      as a retention: Go maps never shrink after deletes.

      What it can see, started after the maps grew:
        - maps that grow while it watches (--watch-for, default 10s): the growth probe names
          the function that grew them;
        - maps in package-level variables, or in a field of an object a package-level pointer
          refers to: found at start by scanning the process's globals (the site names the
          global, since their growth was not seen).
      Maps that grew before it started and are reachable only otherwise (locals, slices,
      deeper structures) show up once they grow again. `gopherlens agent` sees every large map
      from its first growth on.

      Options:
        --json            A JSON array (site, entries, capacity, bytes, fillRatio, ...) instead of the table
        --top N           Rows to show (default 20)
        --watch-for DUR   How long to watch for growths (default 10s)
        -h, --help        Show this help
      """;
  static final long MIN_BYTES = 64 * 1024;
  private static final int RETENTION_DIVISOR = 8;
  private static final long RETENTION_MIN_BYTES = 1 << 20;

  private final PrintStream out;
  private final PrintStream err;

  public MapsCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  private record Options(int pid, boolean json, int top, Duration watchFor) {}

  public int run(String[] args) {
    CommandArgs.Parsed<Options> parsed = CommandArgs.parse("maps", USAGE, () -> parse(args), out, err);
    if (parsed.options() == null) {
      return parsed.exitCode();
    }
    if (!CommandArgs.privileged("maps", err)) {
      return 1;
    }
    Options o = parsed.options();
    Path exe = Path.of("/proc", Integer.toString(o.pid()), "exe");
    if (!Files.exists(exe)) {
      err.println("gopherlens maps: no process " + o.pid());
      return 1;
    }
    GoBinary binary;
    try {
      binary = GoBinary.open(exe);
    } catch (GoBinaryException e) {
      err.println("gopherlens maps: pid " + o.pid() + ": " + e.getMessage());
      return 2;
    }
    MapReader.Result reader = MapReader.forBinary(binary);
    if (reader.reader().isEmpty()) {
      err.println("gopherlens maps: pid " + o.pid() + " (" + binary.goVersion() + "): cannot read its maps: "
          + reader.detail());
      return 1;
    }
    MapTracking tracking = new MapTracking(
        new MapTracking.Settings(MIN_BYTES, 4096, RETENTION_DIVISOR, RETENTION_MIN_BYTES),
        p -> p == o.pid() ? Optional.of(binary) : Optional.empty(), null, m -> {});
    try {
      int found = scanGlobals(o.pid(), binary, reader.reader().get(), tracking);
      err.printf("gopherlens maps: pid %d (%s, %s maps): %d large maps found through package-level variables%n",
          o.pid(), binary.goVersion(), reader.reader().get().implementation(), found);
      watch(o, tracking);
      tracking.tracker().sampleAll(); // fresh numbers, and maps the probe saw mid-growth
      print(tracking, o);
      return 0;
    } catch (IOException e) {
      err.println("gopherlens maps: cannot read pid " + o.pid() + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static int scanGlobals(int pid, GoBinary binary, MapReader reader, MapTracking tracking)
      throws IOException {
    int tracked = 0;
    try (ProcessMemory mem = ProcessMemory.open(pid)) {
      // Below 1,024 slots a map owns less than 64 KiB unless its slots exceed 64 bytes; the
      // tracker still applies the byte threshold to what the scan finds.
      for (GlobalMaps.Found f : GlobalMaps.scan(pid, binary, reader, mem, 1024)) {
        if (tracking.tracker().offer(pid, f.address(), Optional.empty(), "(" + f.where() + ")")
            == MapTracker.Offer.TRACKED) {
          tracked++;
        }
      }
    }
    return tracked;
  }

  private void watch(Options o, MapTracking tracking) throws InterruptedException {
    try (MapWatch watch = new MapWatch(tracking, MIN_BYTES)) {
      if (!watch.watch(o.pid())) {
        err.println("gopherlens maps: pid " + o.pid() + ": the growth probes do not fit this binary (see "
            + "`gopherlens inspect " + o.pid() + "`); showing the globals scan only");
        return;
      }
      err.printf("gopherlens maps: watching pid %d for map growth for %s (Ctrl-C to stop)...%n", o.pid(),
          Sizes.duration(o.watchFor()));
      Thread.sleep(o.watchFor().toMillis());
    } catch (ProbeException e) {
      err.println("gopherlens maps: cannot load the map growth probe (" + e.getMessage()
          + "); showing the globals scan only");
    }
  }

  private void print(MapTracking tracking, Options o) {
    long now = System.currentTimeMillis();
    List<TrackedMap> rows = tracking.tracker().maps().stream()
        .sorted(Comparator.comparingLong((TrackedMap m) -> -m.state().bytesAtLeast()).thenComparing(TrackedMap::site))
        .limit(o.top())
        .toList();
    RetentionFindings findings = tracking.findings();
    if (o.json()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (TrackedMap m : rows) {
        ObjectNode n = array.addObject();
        n.put("site", m.site());
        n.put("entries", m.state().entries());
        n.put("capacity", m.state().capacity());
        n.put("bytes", m.state().bytesAtLeast());
        n.put("bytesExact", m.state().bytes() >= 0); // else a lower bound: the map type was not seen
        n.put("fillRatio", m.state().fillRatio());
        n.put("overflowBuckets", m.state().overflowBuckets());
        n.put("growing", m.state().growing());
        n.put("watchedSeconds", (now - m.firstSeenMillis()) / 1000);
        n.put("address", "0x" + Long.toHexString(m.address()));
        n.put("implementation", m.implementation());
        n.put("retention", findings.retains(m.state()));
      }
      out.println(array.toPrettyString());
      return;
    }
    out.printf("%10s %12s %12s %6s %8s  %s%n", "BYTES", "ENTRIES", "CAPACITY", "FILL", "WATCHED", "SITE");
    for (TrackedMap m : rows) {
      out.printf("%10s %12s %12s %5.1f%% %8s  %s%s%n",
          m.state().bytes() >= 0 ? Sizes.bytes(m.state().bytes()) : ">=" + Sizes.bytes(m.state().bytesAtLeast()),
          Sizes.count(m.state().entries()),
          Sizes.count(m.state().capacity()), 100 * m.state().fillRatio(),
          Sizes.duration(Duration.ofMillis(now - m.firstSeenMillis())), m.site(),
          findings.retains(m.state()) ? "  <- retention" : "");
    }
    if (rows.isEmpty()) {
      out.println("(no map owning at least " + Sizes.bytes(MIN_BYTES) + " grew while watching or hangs off a"
          + " package-level variable)");
    }
    for (TrackedMap m : rows) {
      if (findings.retains(m.state())) {
        out.println(RetentionFindings.message(m));
      }
    }
  }

  private static Options parse(String[] args) {
    int pid = -1;
    boolean json = false;
    int top = 20;
    Duration watchFor = Duration.ofSeconds(10);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> {
          return null;
        }
        case "--json" -> json = true;
        case "--top" -> top = CommandArgs.positive(CommandArgs.value(args, ++i, a), a);
        case "--watch-for" -> watchFor = Durations.parse(CommandArgs.value(args, ++i, a), a);
        default -> {
          if (!a.matches("\\d{1,9}") || pid >= 0) {
            throw new IllegalArgumentException("unexpected argument '" + a + "'");
          }
          pid = Integer.parseInt(a);
        }
      }
    }
    if (pid < 0) {
      throw new IllegalArgumentException("which process? give its pid");
    }
    return new Options(pid, json, top, watchFor);
  }
}
