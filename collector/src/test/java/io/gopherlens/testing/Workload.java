package io.gopherlens.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running test workload that speaks JSON lines on stdout and waits for lines on stdin
 * between phases. Closing it kills the process.
 */
public final class Workload implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final BufferedReader out;
  private final OutputStream in;

  private Workload(Process process) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = process.getOutputStream();
  }

  public static Workload start(Path binary, String... args) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of(binary.toString()));
    cmd.addAll(List.of(args));
    return new Workload(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
  }

  public int pid() {
    return (int) process.pid();
  }

  /** Reads the next JSON line; fails if the process ended instead. */
  public JsonNode next() throws IOException {
    String line = out.readLine();
    if (line == null) {
      throw new IllegalStateException("workload exited (status " + exitStatus() + ") before reporting");
    }
    return JSON.readTree(line);
  }

  /** Lets the workload run its next phase. */
  public void proceed() throws IOException {
    in.write('\n');
    in.flush();
  }

  private String exitStatus() {
    try {
      return process.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** Waits for a normal exit and returns the exit code. */
  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("workload did not exit within 30 s");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
