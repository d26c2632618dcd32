package io.gopherlens.goproc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * `gopherlens inspect <pid|path> [--json]`: what gopherlens sees in a Go binary. Exit codes: 0
 * analysed, 2 usage or not a Go binary, 1 unreadable or corrupt file (one line, no trace).
 */
public final class InspectCommand {
  static final String USAGE =
      """
      Usage: java -jar gopherlens.jar inspect <pid|path> [--json]

      Shows what gopherlens reads from a Go executable without running it or needing debug
      info: Go version, module, stripped/PIE/cgo, map implementation, and every runtime probe
      point with its resolved file offset (and the uprobe offset after the stack-check
      prologue). A pid is read through /proc/PID/exe, so processes in containers work.
      Exits 2 with "not a Go binary: <reason>" for other files.
      """;

  private final PrintStream out;
  private final PrintStream err;

  public InspectCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run(String[] args) {
    boolean json = false;
    String target = null;
    for (String a : args) {
      switch (a) {
        case "-h", "--help" -> {
          out.print(USAGE);
          return 0;
        }
        case "--json" -> json = true;
        default -> {
          if (a.startsWith("-") || target != null) {
            err.println("gopherlens inspect: unexpected argument '" + a + "'");
            err.print(USAGE);
            return 2;
          }
          target = a;
        }
      }
    }
    if (target == null) {
      err.print(USAGE);
      return 2;
    }
    Path path = target.matches("\\d+") ? Path.of("/proc", target, "exe") : Path.of(target);
    if (!Files.exists(path)) {
      err.println("gopherlens inspect: " + (target.matches("\\d+") ? "no process " + target : "no such file " + target));
      return 1;
    }
    try {
      // What one analysis costs, reported so bench/run.sh can hold it to its budget.
      var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
      long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
      long start = System.nanoTime();
      ObjectNode report = report(GoBinary.open(path), path);
      ObjectNode cost = report.putObject("analysis");
      cost.put("millis", (System.nanoTime() - start) / 1_000_000);
      cost.put("allocatedBytes", threads.getCurrentThreadAllocatedBytes() - allocatedBefore);
      out.println(json ? report.toPrettyString() : text(report));
      return 0;
    } catch (GoBinaryException e) {
      err.println(e.getMessage());
      return e.reason() == GoBinaryException.Reason.NOT_GO_BINARY || e.reason() == GoBinaryException.Reason.NOT_ELF ? 2 : 1;
    }
  }

  static ObjectNode report(GoBinary binary, Path path) {
    ObjectNode r = new ObjectMapper().createObjectNode();
    r.put("path", path.toString());
    r.put("goVersion", binary.goVersion());
    r.put("modulePath", binary.modulePath());
    r.put("stripped", binary.stripped());
    r.put("dwarf", binary.hasDwarf());
    r.put("pie", binary.pie());
    r.put("cgo", binary.cgo());
    r.put("mapImplementation", binary.mapImplementation());
    ObjectNode probes = r.putObject("probes");
    List<String> unsupported = new ArrayList<>();
    for (ProbeCatalog.ProbePoint point : ProbeCatalog.forBinary(binary)) {
      ObjectNode p = probes.putObject(point.name());
      p.put("function", point.function());
      p.put("attachedByAgent", point.attachedByAgent());
      Optional<GoFunction> fn = binary.function(point.function());
      p.put("resolved", fn.isPresent());
      if (fn.isPresent()) {
        p.put("address", "0x" + Long.toHexString(fn.get().entryVa()));
        p.put("fileOffset", fn.get().entryFileOffset());
        p.put("uprobeFileOffset", fn.get().uprobeFileOffset());
        if (PauseProbes.isPausePoint(point)) {
          ProbeSites sites = PauseProbes.sites(binary, point).orElseThrow();
          p.put("uprobeFileOffset", sites.fileOffsets()[0]);
          p.put("how", sites.how());
        }
        if (MapProbes.isMapPoint(point)) {
          MapProbes.Settings settings = MapProbes.settings(binary, point);
          if (settings.supported()) {
            p.put("uprobeFileOffset", settings.uprobeFileOffset());
          } else {
            unsupported.add("map growth (" + point.name() + "): " + settings.unsupportedReason());
          }
        }
      } else {
        unsupported.add(point.name() + ": " + point.function() + " is not in this binary's pclntab (inlined, renamed or removed in " + binary.goVersion() + ")");
      }
    }
    RuntimeLayoutResult layout = RuntimeLayouts.forBinary(binary);
    ObjectNode runtime = r.putObject("runtimeLayout");
    runtime.put("source", layout.source());
    runtime.put("detail", layout.detail());
    runtime.put(
        "gcControllerAddress",
        layout.gcController().isPresent()
            ? "0x" + Long.toHexString(layout.gcController().getAsLong()) + " (DWARF)"
            : "learned at run time from the receiver of runtime.(*gcControllerState).startCycle (no symbols needed)");
    if (!layout.supported()) {
      unsupported.add("heap telemetry: " + layout.detail());
    }
    if (binary.version().isEmpty()) {
      unsupported.add("Go version '" + binary.goVersion() + "' is not one gopherlens knows; probes are attached by name only");
    } else if (binary.version().get().minor() < 17) {
      unsupported.add("Go before 1.17 passes arguments on the stack; the GC probes read registers (register ABI)");
    }
    unsupported.forEach(r.putArray("unsupported")::add);
    return r;
  }

  private static String text(ObjectNode r) {
    StringBuilder b = new StringBuilder();
    b.append(r.get("path").asText()).append('\n');
    for (String f : List.of("goVersion", "modulePath", "stripped", "dwarf", "pie", "cgo", "mapImplementation")) {
      b.append(String.format("  %-18s %s%n", f, r.get(f).asText()));
    }
    b.append("  probes:\n");
    r.get("probes").fields().forEachRemaining(e -> {
      var p = e.getValue();
      b.append(String.format("    %-20s %-45s %s%n", e.getKey(), p.get("function").asText(),
          p.get("resolved").asBoolean()
              ? String.format("file offset 0x%x (uprobe at 0x%x)%s", p.get("fileOffset").asLong(), p.get("uprobeFileOffset").asLong(),
                  p.get("attachedByAgent").asBoolean() ? ", attached by agent" : "")
              : "NOT RESOLVED"));
      if (p.has("how")) {
        b.append(String.format("    %-20s %s%n", "", p.get("how").asText()));
      }
    });
    b.append(String.format("  %-18s %s%n", "runtime layout", r.get("runtimeLayout").get("source").asText()));
    b.append(String.format("  %-18s %s%n", "gcController", r.get("runtimeLayout").get("gcControllerAddress").asText()));
    if (r.get("unsupported").size() > 0) {
      b.append("  unsupported:\n");
      r.get("unsupported").forEach(u -> b.append("    - ").append(u.asText()).append('\n'));
    }
    return b.toString().stripTrailing();
  }
}
