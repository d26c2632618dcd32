package io.gopherlens.export.loki;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A child JVM for the crash test: queues {@code count} entries into a spool while Loki is down,
 * says so on stdout, then waits to be killed (SIGKILL, no shutdown hook, no close).
 * Arguments: push URL, spool folder, count.
 */
public final class SpoolingChild {
  public static void main(String[] args) throws Exception {
    LokiExporter exporter = LokiExporter.builder()
        .setEndpoint(args[0])
        .setSpool(Path.of(args[1]), 16 << 20)
        .setBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
        .build();
    int count = Integer.parseInt(args[2]);
    for (long seq = 0; seq < count; seq++) {
      exporter.export(List.of(LokiExporterTest.record(seq % 2 == 0 ? "go.gc.pause" : "tcp.connect.failed",
          LokiExporterTest.T0 + seq, Attributes.of(AttributeKey.longKey("seq"), seq))));
    }
    System.out.println("queued " + exporter.queued());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private SpoolingChild() {}
}
