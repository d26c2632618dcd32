package io.gopherlens.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Go toolchains scripts/setup.sh installs, and builds of the test workloads with them.
 * A missing toolchain fails the test with the command that installs it: never a skip.
 */
public enum GoToolchain {
  GO_1_19("1.19", "/usr/lib/go-1.19"),
  GO_1_22("1.22", "/usr/lib/go-1.22"),
  GO_1_23("1.23", "/usr/lib/go-1.23"),
  GO_1_24("1.24", "/usr/lib/go-1.24"),
  GO_1_27("1.27", "/opt/gopherlens/go-1.27");

  /** How a workload is built. */
  public enum Variant {
    DEFAULT(List.of()),
    STRIPPED(List.of("-ldflags=-s -w")),
    PIE(List.of("-buildmode=pie")),
    CGO(List.of()),
    /** Classic maps on Go 1.24 and 1.25 (GOEXPERIMENT=noswissmap; the experiment is gone in 1.26). */
    NOSWISSMAP(List.of());

    final List<String> flags;

    Variant(List<String> flags) {
      this.flags = flags;
    }
  }

  private static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "gopherlens-go-builds");
  private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

  public final String version;
  private final Path goroot;

  GoToolchain(String version, String goroot) {
    this.version = version;
    this.goroot = Path.of(goroot);
  }

  public Path goBinary() {
    Path go = goroot.resolve("bin/go");
    if (!Files.isExecutable(go)) {
      throw new IllegalStateException(
          "Go " + version + " is not installed at " + go + ": run `sudo bash scripts/setup.sh`");
    }
    return go;
  }

  /**
   * Builds the Go program in {@code sourceDir} (standard library only) once per JVM and
   * returns the binary's path.
   */
  public Path build(Path sourceDir, Variant variant) {
    String key = sourceDir.toAbsolutePath() + "|" + name() + "|" + variant;
    return BUILT.computeIfAbsent(key, k -> doBuild(sourceDir, variant, List.of(), variant.name().toLowerCase()));
  }

  /**
   * Builds with profile-guided optimization from the CPU profile {@code profile} (Go 1.21+):
   * hot calls get inlined, the runtime's included.
   */
  public Path buildWithProfile(Path sourceDir, Path profile) {
    String key = sourceDir.toAbsolutePath() + "|" + name() + "|pgo|" + profile.toAbsolutePath();
    return BUILT.computeIfAbsent(key, k -> doBuild(sourceDir, Variant.DEFAULT, List.of("-pgo=" + profile.toAbsolutePath()), "pgo"));
  }

  private Path doBuild(Path sourceDir, Variant variant, List<String> extraFlags, String suffix) {
    Path go = goBinary();
    // Keyed by the source's absolute path too: two checkouts testing at once must not
    // overwrite each other's binaries (their file:line tables name different paths).
    String checkout = Integer.toHexString(sourceDir.toAbsolutePath().toString().hashCode());
    Path out = CACHE.resolve(sourceDir.getFileName() + "-" + checkout + "-" + version + "-" + suffix);
    try {
      Files.createDirectories(CACHE);
      List<String> cmd = new ArrayList<>(List.of(go.toString(), "build", "-o", out.toString()));
      cmd.addAll(variant.flags);
      cmd.addAll(extraFlags);
      cmd.add("main.go");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(sourceDir.toFile()).redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put("GOROOT", goroot.toString());
      env.put("GOCACHE", CACHE.resolve("gocache-" + version).toString());
      env.put("GOPATH", CACHE.resolve("gopath").toString());
      env.put("GO111MODULE", "off");
      env.put("GOFLAGS", "");
      env.put("GOTOOLCHAIN", "local");
      env.put("CGO_ENABLED", variant == Variant.CGO ? "1" : "0");
      if (variant == Variant.NOSWISSMAP) {
        env.put("GOEXPERIMENT", "noswissmap");
      }
      Process p = pb.start();
      String log = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("go " + version + " build failed: " + log);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("go " + version + " build failed to start", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building", e);
    }
  }

  /** The Go sources of the test workloads, under collector/src/test/go. */
  public static Path workload(String name) {
    return Path.of(System.getProperty("gopherlens.repo.root", ".."), "collector/src/test/go", name)
        .toAbsolutePath()
        .normalize();
  }
}
