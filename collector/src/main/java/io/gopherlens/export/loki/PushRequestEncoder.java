package io.gopherlens.export.loki;

import io.gopherlens.export.GrowableBytes;
import io.gopherlens.export.ProtoWriter;
import java.util.List;
import java.util.Map;

/**
 * Loki's {@code logproto.PushRequest} (pkg/push/push.proto): {@code PushRequest{repeated
 * StreamAdapter streams = 1}}, {@code StreamAdapter{string labels = 1; repeated EntryAdapter
 * entries = 2}}, {@code EntryAdapter{google.protobuf.Timestamp timestamp = 1; string line = 2;
 * repeated LabelPairAdapter structuredMetadata = 3}}, {@code LabelPairAdapter{string name = 1;
 * string value = 2}}.
 */
final class PushRequestEncoder {
  private final GrowableBytes body = new GrowableBytes(256 * 1024);
  private final ProtoWriter out = new ProtoWriter(body);

  /** The uncompressed request, valid until the next call. */
  GrowableBytes encode(Map<LokiStream, List<LokiEntry>> streams) {
    body.reset();
    for (Map.Entry<LokiStream, List<LokiEntry>> s : streams.entrySet()) {
      String labels = s.getKey().selector;
      int size = ProtoWriter.stringSize(1, labels);
      for (LokiEntry e : s.getValue()) {
        size += ProtoWriter.messageSize(2, entrySize(e));
      }
      out.message(1, size);
      out.string(1, labels);
      for (LokiEntry e : s.getValue()) {
        out.message(2, entrySize(e));
        writeEntry(e);
      }
    }
    return body;
  }

  private void writeEntry(LokiEntry e) {
    long nanos = e.timestampNanos();
    out.message(1, timestampSize(nanos));
    if (seconds(nanos) != 0) {
      out.int64(1, seconds(nanos));
    }
    if (nanosOfSecond(nanos) != 0) {
      out.int64(2, nanosOfSecond(nanos));
    }
    out.string(2, e.line());
    String[] m = e.metadata();
    for (int i = 0; i + 1 < m.length; i += 2) {
      out.message(3, ProtoWriter.stringSize(1, m[i]) + ProtoWriter.stringSize(2, m[i + 1]));
      out.string(1, m[i]);
      out.string(2, m[i + 1]);
    }
  }

  private static int entrySize(LokiEntry e) {
    int size = ProtoWriter.messageSize(1, timestampSize(e.timestampNanos()));
    size += ProtoWriter.stringSize(2, e.line());
    String[] m = e.metadata();
    for (int i = 0; i + 1 < m.length; i += 2) {
      size += ProtoWriter.messageSize(3, ProtoWriter.stringSize(1, m[i]) + ProtoWriter.stringSize(2, m[i + 1]));
    }
    return size;
  }

  // google.protobuf.Timestamp{int64 seconds = 1; int32 nanos = 2}; proto3 leaves zeros out.
  private static int timestampSize(long nanos) {
    return (seconds(nanos) != 0 ? ProtoWriter.int64Size(1, seconds(nanos)) : 0)
        + (nanosOfSecond(nanos) != 0 ? ProtoWriter.int64Size(2, nanosOfSecond(nanos)) : 0);
  }

  private static long seconds(long nanos) {
    return Math.floorDiv(nanos, 1_000_000_000L);
  }

  private static long nanosOfSecond(long nanos) {
    return Math.floorMod(nanos, 1_000_000_000L);
  }
}
