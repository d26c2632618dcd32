package io.gopherlens.goproc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Builds the test program (src/test/resources/goproc/testprog, standard library only) with
 * every toolchain scripts/setup.sh installs, in every flavour the analysis must handle, once per
 * JVM and in parallel. A missing toolchain fails the tests with the command that installs it:
 * never a skip, or CI would pass without testing anything.
 */
final class GoBuilds {
  enum Toolchain {
    GO_1_19("/usr/lib/go-1.19"),
    GO_1_22("/usr/lib/go-1.22"),
    GO_1_23("/usr/lib/go-1.23"),
    GO_1_24("/usr/lib/go-1.24"),
    GO_1_27("/opt/gopherlens/go-1.27");

    final Path goroot;

    Toolchain(String goroot) {
      this.goroot = Path.of(goroot);
    }

    Path go() {
      return goroot.resolve("bin/go");
    }

    int minor() {
      return Integer.parseInt(name().substring("GO_1_".length()));
    }
  }

  enum Variant {
    DEFAULT(false, List.of()),
    STRIPPED(false, List.of("-ldflags=-s -w")),
    PIE(false, List.of("-buildmode=pie")),
    CGO(true, List.of()),
    /** External linking: before Go 1.26 the system linker folds .gopclntab into .data.rel.ro. */
    CGO_PIE(true, List.of("-buildmode=pie")),
    /** Go 1.24 only: classic maps through GOEXPERIMENT (the experiment is gone in 1.26). */
    NOSWISSMAP(false, List.of());

    final boolean cgo;
    final List<String> flags;

    Variant(boolean cgo, List<String> flags) {
      this.cgo = cgo;
      this.flags = flags;
    }
  }

  /** One binary of the matrix. */
  record Build(Toolchain toolchain, Variant variant, Path path) {
    @Override
    public String toString() {
      return toolchain + "/" + variant;
    }
  }

  // Shared across runs so only the first run compiles the standard library (~20 s per toolchain).
  private static final Path GOCACHE = Path.of(System.getProperty("gopherlens.gocache", "/tmp/gopherlens-gocache"));
  private static final Path GOPATH = Path.of("/tmp/gopherlens-gopath");
  private static final Path SOURCE_COPY = Path.of("/tmp/gopherlens-goproc-testprog");
  private static final Map<Toolchain, Map<Variant, Build>> BUILDS = new EnumMap<>(Toolchain.class);
  private static final Map<Path, Map<String, Long>> NM = new ConcurrentHashMap<>();
  private static final Map<Toolchain, String> VERSIONS = new ConcurrentHashMap<>();
  private static final Object SOURCE_LOCK = new Object();
  private static AssertionError failure; // a failed matrix fails every later test at once
  private static Path source;

  private GoBuilds() {}

  /** Every build, for parameterized tests. */
  static Stream<Arguments> all() {
    return builds().stream().map(Arguments::of);
  }

  static synchronized List<Build> builds() {
    if (failure != null) {
      throw failure;
    }
    if (BUILDS.isEmpty()) {
      try {
        buildAll();
      } catch (AssertionError e) {
        failure = e;
        throw e;
      }
    }
    List<Build> out = new ArrayList<>();
    BUILDS.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  static Build build(Toolchain t, Variant v) {
    builds();
    return BUILDS.get(t).get(v);
  }

  /** The test program's main source file, to check symbolized file names and lines. */
  static Path sourceFile() {
    return sourceDir().resolve("testprog.go");
  }

  /** {@code go version} of the toolchain, e.g. "go1.24.4". */
  static String goVersion(Toolchain t) {
    return VERSIONS.computeIfAbsent(t, k -> run(k, List.of(k.go().toString(), "version")).split(" ")[2]);
  }

  /**
   * Function symbols (T/t) from {@code go tool nm} of the build's unstripped twin: the default
   * build for STRIPPED (same compile and link, so the same text layout), itself otherwise.
   */
  static Map<String, Long> nm(Build b) {
    Path unstripped = b.variant() == Variant.STRIPPED ? build(b.toolchain(), Variant.DEFAULT).path() : b.path();
    return NM.computeIfAbsent(unstripped, p -> parseNm(run(b.toolchain(), List.of(
        b.toolchain().go().toString(), "tool", "nm", p.toString())), "Tt"));
  }

  /** Data symbols (D/d/B/b, e.g. runtime.memstats) from {@code go tool nm} of a build with symbols. */
  static Map<String, Long> nmData(Build b) {
    return parseNm(run(b.toolchain(), List.of(b.toolchain().go().toString(), "tool", "nm", b.path().toString())), "DdBb");
  }

  /** Runs a command with the build environment; fails the test with its output on error. */
  static String run(Toolchain t, List<String> cmd) {
    return run(t, cmd, Map.of());
  }

  private static void buildAll() {
    for (Toolchain t : Toolchain.values()) {
      if (!Files.isExecutable(t.go())) {
        throw new AssertionError("Go toolchain " + t + " is missing: " + t.go()
            + " is not executable. Install the toolchains with `sudo bash scripts/setup.sh`.");
      }
    }
    Path out;
    try {
      out = Files.createTempDirectory("gopherlens-goproc-");
    } catch (IOException e) {
      throw new AssertionError("cannot create a build directory", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(out)));
    // Two concurrent builds keep the CPUs busy through the serial link steps.
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    Map<Build, Future<?>> pending = new HashMap<>();
    for (Toolchain t : Toolchain.values()) {
      Map<Variant, Build> byVariant = new EnumMap<>(Variant.class);
      for (Variant v : Variant.values()) {
        if (v == Variant.NOSWISSMAP && t != Toolchain.GO_1_24) {
          continue;
        }
        Build b = new Build(t, v, out.resolve("testprog-" + t.name().toLowerCase() + "-" + v.name().toLowerCase()));
        byVariant.put(v, b);
        pending.put(b, pool.submit(() -> goBuild(b)));
      }
      BUILDS.put(t, byVariant);
    }
    pool.shutdown();
    try {
      for (Map.Entry<Build, Future<?>> e : pending.entrySet()) {
        e.getValue().get(10, TimeUnit.MINUTES);
      }
    } catch (ExecutionException e) {
      BUILDS.clear();
      throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
    } catch (Exception e) {
      BUILDS.clear();
      throw new AssertionError("Go builds did not finish", e);
    }
  }

  private static void goBuild(Build b) {
    List<String> cmd = new ArrayList<>(List.of(b.toolchain().go().toString(), "build", "-o", b.path().toString()));
    cmd.addAll(b.variant().flags);
    cmd.add(".");
    Map<String, String> env = new HashMap<>();
    env.put("CGO_ENABLED", b.variant().cgo ? "1" : "0");
    env.put("GOEXPERIMENT", b.variant() == Variant.NOSWISSMAP ? "noswissmap" : "");
    run(b.toolchain(), cmd, env);
  }

  private static String run(Toolchain t, List<String> cmd, Map<String, String> extraEnv) {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(sourceDir().toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("GOROOT", t.goroot.toString());
    env.put("GOCACHE", GOCACHE.toString());
    env.put("GOPATH", GOPATH.toString());
    env.put("GOFLAGS", "-mod=mod");
    env.put("GO111MODULE", "on");
    env.put("GOTOOLCHAIN", "local");
    env.put("GOPROXY", "off");
    env.put("GOWORK", "off");
    env.put("GOENV", "off");
    env.remove("GOEXPERIMENT");
    env.remove("GOARCH");
    env.remove("GOOS");
    env.putAll(extraEnv);
    try {
      Process p = pb.start();
      byte[] output;
      try (InputStream in = p.getInputStream()) {
        output = in.readAllBytes();
      }
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", cmd));
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError("failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + String.join(" ", cmd), e);
    }
  }

  /**
   * The test program copied out of the test resources to a fixed directory: builds never write
   * into the source tree, and since Go records source paths, a fixed path makes the binaries
   * byte-for-byte reproducible, which keeps the fuzz test's inputs the same on every run. Files
   * are replaced atomically and only when they differ, so concurrent test JVMs can share it.
   * Its own lock: build threads call this while {@link #builds} holds the class lock.
   */
  private static Path sourceDir() {
    synchronized (SOURCE_LOCK) {
      if (source == null) {
        source = copySource();
      }
      return source;
    }
  }

  private static Path copySource() {
    try {
      Path from = Path.of(GoBuilds.class.getResource("/goproc/testprog/testprog.go").toURI()).getParent();
      Path to = SOURCE_COPY;
      Files.createDirectories(to);
      try (Stream<Path> files = Files.list(from)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path target = to.resolve(f.getFileName().toString());
          byte[] content = Files.readAllBytes(f);
          if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), content)) {
            Path tmp = Files.createTempFile(to, ".copy-", "");
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          }
        }
      }
      return to;
    } catch (IOException | URISyntaxException | NullPointerException e) {
      throw new AssertionError("cannot copy the test program from the test resources to " + SOURCE_COPY, e);
    }
  }

  private static Map<String, Long> parseNm(String out, String types) {
    Map<String, Long> syms = new HashMap<>();
    Set<String> duplicated = new HashSet<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+", 3);
      if (f.length == 3 && f[1].length() == 1 && types.contains(f[1])) {
        if (syms.put(f[2], Long.parseUnsignedLong(f[0], 16)) != null) {
          duplicated.add(f[2]);
        }
      }
    }
    duplicated.forEach(syms::remove); // ambiguous names prove nothing either way
    return syms;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort at JVM exit
    }
  }
}
