package io.gopherlens.gomaps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** `gopherlens demo` as a new user runs it: the finding shows within 30 s, the program is stopped. Needs root. */
class DemoCommandTest {
  @Test
  void run_exitOnFinding_showsTheFindingAtTheCacheWithin30sAndStopsTheProgram() {
    TimedOutput out = new TimedOutput();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new DemoCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
        StandardCharsets.UTF_8)).run(new String[] {"--exit-on-finding", "--duration", "60s"});
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(code).as("exit code; stderr: %s", err).isZero();
    assertThat(text).containsPattern(
        "FINDING  map created at main\\.\\(\\*Cache\\)\\.Put demo\\.go:\\d+ owns [\\d.]+ MiB for 10,\\d{3} live entries"
            + " \\([\\d,]+ slots\\); Go maps never shrink");
    assertThat(out.findingNanos - out.startedNanos).as("from the program's start to the finding")
        .isPositive().isLessThan(30_000_000_000L);
    Matcher pid = Pattern.compile("demo program pid (\\d+) ready").matcher(text);
    assertThat(pid.find()).isTrue();
    assertThat(Files.exists(Path.of("/proc", pid.group(1)))).as("demo program stopped").isFalse();
  }

  /** Remembers when the program started and when the finding was printed. */
  private static final class TimedOutput extends ByteArrayOutputStream {
    long startedNanos;
    long findingNanos;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      super.write(b, off, len);
      String all = toString(StandardCharsets.UTF_8);
      if (startedNanos == 0 && all.contains("[2/4] started it")) {
        startedNanos = System.nanoTime();
      }
      if (findingNanos == 0 && all.contains("FINDING")) {
        findingNanos = System.nanoTime();
      }
    }
  }
}
