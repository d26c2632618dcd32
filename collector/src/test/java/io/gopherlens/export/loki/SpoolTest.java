package io.gopherlens.export.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk queue with real files: replay, acknowledgement, torn tails, limits, one owner. */
class SpoolTest {
  private static final LokiStream STREAM = new LokiStream(new String[] {"event_name", "service_name"}, new String[] {"go.gc.pause", "gopherlens"});
  @TempDir Path dir;

  @Test
  void reopen_afterPartialAck_replaysExactlyTheUnacknowledgedInOrder() {
    try (Spool spool = new Spool(dir, 1 << 20)) {
      for (int i = 0; i < 5; i++) {
        assertThat(spool.offer(entry(i))).isTrue();
      }
      assertThat(spool.peek(3)).extracting(LokiEntry::line).containsExactly("line 0", "line 1", "line 2");
      spool.ack(3);
      assertThat(spool.peek(10)).extracting(LokiEntry::line).containsExactly("line 3", "line 4");
      // peeked, never acknowledged: must come back
    }
    try (Spool spool = new Spool(dir, 1 << 20)) {
      assertThat(spool.size()).isEqualTo(2);
      List<LokiEntry> replay = spool.peek(10);
      assertThat(replay).extracting(LokiEntry::line).containsExactly("line 3", "line 4");
      assertThat(replay.get(0).stream()).isEqualTo(STREAM);
      assertThat(replay.get(0).timestampNanos()).isEqualTo(1_000_000_003L);
      assertThat(replay.get(0).metadata()).containsExactly("seq", "3", "note", "ünïcode ✓");
    }
  }

  @Test
  void drain_acknowledgedSegmentsAreDeleted() throws IOException {
    try (Spool spool = new Spool(dir, 1 << 20)) {
      for (int i = 0; i < 3; i++) {
        spool.offer(entry(i));
      }
      spool.ack(spool.peek(10).size());
      assertThat(spool.size()).isZero();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith("segment-")).map(SpoolTest::size))
          .as("only an empty current segment is left").containsExactly(0L);
    }
    try (Spool spool = new Spool(dir, 1 << 20)) {
      assertThat(spool.size()).isZero();
    }
  }

  @Test
  void reopen_tornLastRecord_isCutOffAndEverythingBeforeSurvives() throws IOException {
    try (Spool spool = new Spool(dir, 1 << 20)) {
      for (int i = 0; i < 3; i++) {
        spool.offer(entry(i));
      }
    }
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.filter(p -> p.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
    }
    io.gopherlens.export.GrowableBytes fourth = new SpoolRecord().encode(entry(3));
    Files.write(segment, java.util.Arrays.copyOf(fourth.array(), fourth.size() - 5), StandardOpenOption.APPEND);

    try (Spool spool = new Spool(dir, 1 << 20)) {
      assertThat(spool.corruptRecords()).isEqualTo(1);
      assertThat(spool.size()).isEqualTo(3);
      spool.offer(entry(4));
      assertThat(spool.peek(10)).extracting(LokiEntry::line).containsExactly("line 0", "line 1", "line 2", "line 4");
    }
  }

  @Test
  void offer_pastTheLimit_refusedUntilAcknowledgedSpaceIsFreed() {
    try (Spool spool = new Spool(dir, 64 << 10)) {
      int accepted = 0;
      while (spool.offer(big(accepted))) {
        accepted++;
      }
      assertThat(accepted).isBetween(50, 64);
      spool.ack(spool.peek(accepted).size());
      assertThat(spool.offer(big(0))).as("space comes back once acknowledged").isTrue();
    }
  }

  @Test
  void smallSegments_rollAndReplayAcrossSegmentsInOrder() throws IOException {
    try (Spool spool = new Spool(dir, 64 << 10)) {
      for (int i = 0; i < 50; i++) {
        assertThat(spool.offer(big(i))).isTrue();
      }
      spool.ack(spool.peek(20).size());
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith("segment-")).count()).isGreaterThan(1);
    }
    try (Spool spool = new Spool(dir, 64 << 10)) {
      assertThat(spool.peek(100)).extracting(LokiEntry::timestampNanos)
          .containsExactlyElementsOf(java.util.stream.LongStream.range(20, 50).boxed().toList());
    }
  }

  @Test
  void open_folderHeldByAnotherExporter_failsWithWhatToDo() {
    try (Spool first = new Spool(dir, 1 << 20)) {
      assertThatThrownBy(() -> new Spool(dir, 1 << 20))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another exporter")
          .hasMessageContaining(dir.toString());
    }
  }

  private static LokiEntry entry(int i) {
    return new LokiEntry(STREAM, 1_000_000_000L + i, "line " + i, new String[] {"seq", Integer.toString(i), "note", "ünïcode ✓"});
  }

  private static LokiEntry big(int i) {
    return new LokiEntry(STREAM, i, "x".repeat(1000), new String[0]);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
