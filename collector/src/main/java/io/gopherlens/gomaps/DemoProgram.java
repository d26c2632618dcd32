package io.gopherlens.gomaps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The demo's Go program: built from the source bundled in the jar ({@value #SOURCE}) with the
 * newest Go toolchain on this machine (Debian's /usr/lib/go-1.N, scripts/setup.sh's
 * /opt/gopherlens/go-1.N, or go on PATH).
 */
final class DemoProgram {
  static final String SOURCE = "demo/demo.go";
  private static final Pattern TOOLCHAIN_DIR = Pattern.compile("go-1\\.(\\d+)");

  /** A toolchain and its minor version (-1 when only known from PATH). */
  record Toolchain(Path go, int minor) {}

  private DemoProgram() {}

  /** The newest toolchain, or empty when none is installed. */
  static Optional<Toolchain> newestToolchain() {
    List<Toolchain> found = new ArrayList<>();
    for (Path root : List.of(Path.of("/usr/lib"), Path.of("/opt/gopherlens"))) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> dirs = Files.list(root)) {
        dirs.forEach(d -> {
          Matcher m = TOOLCHAIN_DIR.matcher(d.getFileName().toString());
          Path go = d.resolve("bin/go");
          if (m.matches() && Files.isExecutable(go)) {
            found.add(new Toolchain(go, Integer.parseInt(m.group(1))));
          }
        });
      } catch (IOException e) {
        // an unreadable directory holds no toolchain we can use
      }
    }
    Optional<Toolchain> newest = found.stream().max(Comparator.comparingInt(Toolchain::minor));
    if (newest.isPresent()) {
      return newest;
    }
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .map(dir -> Path.of(dir, "go")).filter(Files::isExecutable).findFirst().map(go -> new Toolchain(go, -1));
  }

  /** Builds the bundled source into {@code dir}; throws with the compiler's output on failure. */
  static Path build(Toolchain toolchain, Path dir) throws IOException, InterruptedException {
    Path source = dir.resolve("demo.go");
    try (InputStream in = DemoProgram.class.getResourceAsStream(SOURCE)) {
      if (in == null) {
        throw new IOException("the demo source " + SOURCE + " is missing from the jar");
      }
      Files.copy(in, source);
    }
    Path binary = dir.resolve("gopherlens-demo");
    ProcessBuilder pb = new ProcessBuilder(toolchain.go().toString(), "build", "-o", binary.toString(),
        source.toString()).directory(dir.toFile()).redirectErrorStream(true);
    // Go's own build cache when it has one ($HOME/.cache/go-build): later demos build in a second.
    if (System.getenv("HOME") == null && System.getenv("XDG_CACHE_HOME") == null && System.getenv("GOCACHE") == null) {
      pb.environment().put("GOCACHE", dir.resolve("gocache").toString());
    }
    pb.environment().put("GOPATH", dir.resolve("gopath").toString());
    pb.environment().put("GO111MODULE", "off");
    pb.environment().put("GOTOOLCHAIN", "local");
    pb.environment().put("CGO_ENABLED", "0");
    Path goroot = toolchain.go().getParent().getParent();
    if (toolchain.minor() >= 0) {
      pb.environment().put("GOROOT", goroot.toString());
    }
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(toolchain.go() + " build of the demo failed:\n" + log);
    }
    return binary;
  }
}
