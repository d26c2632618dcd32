package io.gopherlens.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository, as a user would find them. */
final class Repo {
  static final Path ROOT = Path.of(System.getProperty("gopherlens.repo.root", "..")).toAbsolutePath().normalize();

  private Repo() {}

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command to completion; returns its exit code and combined output. */
  static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    return new Result(p.waitFor(), out);
  }

  record Result(int exitCode, String output) {}
}
