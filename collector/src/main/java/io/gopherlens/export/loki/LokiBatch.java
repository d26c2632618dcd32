package io.gopherlens.export.loki;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entries of one request grouped by stream, each stream's entries in timestamp order (stable, so
 * equal timestamps keep their queue order): Loki wants a stream's entries ordered.
 */
final class LokiBatch {
  private static final Comparator<LokiEntry> BY_TIME =
      Comparator.comparingLong(LokiEntry::timestampNanos);

  static Map<LokiStream, List<LokiEntry>> byStream(List<LokiEntry> entries) {
    Map<LokiStream, List<LokiEntry>> streams = new LinkedHashMap<>();
    for (LokiEntry e : entries) {
      streams.computeIfAbsent(e.stream(), s -> new ArrayList<>()).add(e);
    }
    for (List<LokiEntry> stream : streams.values()) {
      stream.sort(BY_TIME);
    }
    return streams;
  }

  private LokiBatch() {}
}
