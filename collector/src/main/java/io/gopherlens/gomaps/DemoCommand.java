package io.gopherlens.gomaps;

import io.gopherlens.agent.CommandArgs;
import io.gopherlens.agent.Durations;
import io.gopherlens.goproc.GoBinary;
import io.gopherlens.probe.ProbeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * `gopherlens demo`: builds and starts a Go program that fills a map with a million entries and
 * deletes 99% of them, watches it with the agent's map tracking, and prints the retention finding
 * as it happens. The program is stopped on exit and on Ctrl-C. Exit codes: 0 done, 1 failure,
 * 2 usage.
 */
public final class DemoCommand {
  static final String USAGE =
      """
      Usage: java -jar gopherlens.jar demo [--duration DUR] [--exit-on-finding]

      Builds a small Go program (bundled in the jar) with the newest Go toolchain installed,
      starts it, and watches it as the agent would: the program fills a session cache map with
      1,000,000 entries in main.(*Cache).Put, deletes 99% of them and keeps running. gopherlens
      sees the map grow, reads it from the process's memory every 2 s, and prints the finding
      when the map keeps its memory after the deletes (within about 10 s). Ctrl-C stops both.

      Options:
        --duration DUR      Stop after this long (default: run until Ctrl-C)
        --exit-on-finding   Stop once the finding is shown (exit 1 if none within --duration, default 60s)
        -h, --help          Show this help
      """;
  private static final Duration SAMPLE = Duration.ofSeconds(2);

  private final PrintStream out;
  private final PrintStream err;

  public DemoCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run(String[] args) {
    Optional<Duration> duration = Optional.empty();
    boolean exitOnFinding = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h", "--help" -> {
          out.print(USAGE);
          return 0;
        }
        case "--exit-on-finding" -> exitOnFinding = true;
        case "--duration" -> {
          try {
            duration = Optional.of(Durations.parse(i + 1 < args.length ? args[++i] : "", "--duration"));
          } catch (IllegalArgumentException e) {
            err.println("gopherlens demo: " + e.getMessage());
            return 2;
          }
        }
        default -> {
          err.println("gopherlens demo: unexpected argument '" + args[i] + "'");
          err.print(USAGE);
          return 2;
        }
      }
    }
    if (exitOnFinding && duration.isEmpty()) {
      duration = Optional.of(Duration.ofSeconds(60));
    }
    if (!CommandArgs.privileged("demo", err)) {
      return 1;
    }
    Optional<DemoProgram.Toolchain> go = DemoProgram.newestToolchain();
    if (go.isEmpty()) {
      err.println("gopherlens demo: no Go toolchain found (looked in /usr/lib/go-1.*, /opt/gopherlens/go-1.* and"
          + " PATH); install one, e.g. `sudo bash scripts/setup.sh`");
      return 1;
    }
    Path dir = null;
    Process program = null;
    Thread stopOnCtrlC = null;
    try {
      dir = Files.createTempDirectory("gopherlens-demo-");
      out.println("[1/4] building the demo program with " + go.get().go() + " ...");
      Path binary = DemoProgram.build(go.get(), dir);
      program = new ProcessBuilder(binary.toString()).redirectErrorStream(true).start();
      Process started = program;
      stopOnCtrlC = new Thread(started::destroyForcibly, "gopherlens-demo-stop");
      Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
      BufferedReader programOut = new BufferedReader(new InputStreamReader(program.getInputStream(),
          StandardCharsets.UTF_8));
      out.println("[2/4] started it: " + programOut.readLine());
      return watch(program, programOut, GoBinary.open(Path.of("/proc", Long.toString(program.pid()), "exe")),
          duration, exitOnFinding);
    } catch (IOException e) {
      err.println("gopherlens demo: " + e.getMessage());
      return 1;
    } catch (ProbeException e) {
      err.println("gopherlens demo: cannot load the map growth probe: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } finally {
      if (program != null) {
        stop(program);
      }
      if (stopOnCtrlC != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(stopOnCtrlC);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the hook is running already
        }
      }
      deleteTree(dir);
    }
  }

  private int watch(Process program, BufferedReader programOut, GoBinary binary, Optional<Duration> duration,
      boolean exitOnFinding) throws InterruptedException, IOException {
    int pid = (int) program.pid();
    CountDownLatch found = new CountDownLatch(1);
    MapTracking tracking = new MapTracking(new MapTracking.Settings(MapsCommand.MIN_BYTES, 64, 8, 1 << 20),
        p -> p == pid ? Optional.of(binary) : Optional.empty(), null, m -> {
          out.println();
          out.println("FINDING  " + RetentionFindings.message(m));
          out.println("         (the agent logs this as a " + RetentionFindings.EVENT + " record and exports"
              + " gopherlens.go.map.memory{gopherlens.go.map.site=\"" + m.site() + "\"})");
          out.println();
          found.countDown();
        });
    try (MapWatch watch = new MapWatch(tracking, MapsCommand.MIN_BYTES)) {
      if (!watch.watch(pid)) {
        err.println("gopherlens demo: the map growth probes do not fit " + binary.goVersion()
            + "; see `gopherlens inspect " + pid + "`");
        return 1;
      }
      out.println("[3/4] growth probes attached (" + binary.goVersion() + ", " + binary.mapImplementation()
          + " maps); letting the program fill its map");
      Thread echo = new Thread(() -> echo(programOut), "gopherlens-demo-output");
      echo.setDaemon(true);
      echo.start();
      OutputStream stdin = program.getOutputStream();
      stdin.write('\n');
      stdin.flush();
      out.println("[4/4] reading the map from the process every " + SAMPLE.toSeconds() + " s"
          + (duration.isPresent() ? " for " + Sizes.duration(duration.get()) : " (Ctrl-C to stop)"));
      long deadline = duration.map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
      while (System.nanoTime() < deadline && program.isAlive()) {
        if (found.await(SAMPLE.toMillis(), TimeUnit.MILLISECONDS) && exitOnFinding) {
          return 0;
        }
        tracking.tracker().sampleAll();
        tracking.tracker().maps().stream().max(Comparator.comparingLong(m -> m.state().bytesAtLeast()))
            .ifPresent(m -> out.printf("         %s: %s live entries, %s slots, owns %s%n", m.site(),
                Sizes.count(m.state().entries()), Sizes.count(m.state().capacity()), Sizes.owned(m.state())));
      }
      if (!program.isAlive()) {
        err.println("gopherlens demo: the demo program exited (status " + program.exitValue() + ")");
        return 1;
      }
      return exitOnFinding && found.getCount() > 0 ? 1 : 0;
    }
  }

  private void stop(Process program) {
    program.destroyForcibly();
    try {
      if (program.waitFor(5, TimeUnit.SECONDS)) {
        out.println("stopped the demo program");
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    err.println("gopherlens demo: the demo program (pid " + program.pid() + ") did not stop; kill it with kill -9 "
        + program.pid());
  }

  private void echo(BufferedReader programOut) {
    try {
      for (String line; (line = programOut.readLine()) != null; ) {
        out.println("         program: " + line);
      }
    } catch (IOException ignored) {
      // the program was stopped
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }
}
