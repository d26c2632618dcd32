package io.gopherlens.export.loki;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.gopherlens.export.GrowableBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Loki's {@code logproto.PushRequest} (pkg/push/push.proto), written by hand: {@code
 * PushRequest{repeated StreamAdapter streams = 1}}, {@code StreamAdapter{string labels = 1;
 * repeated EntryAdapter entries = 2}}, {@code EntryAdapter{google.protobuf.Timestamp timestamp =
 * 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3}}, {@code
 * LabelPairAdapter{string name = 1; string value = 2}}.
 */
final class PushRequestEncoder {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private final GrowableBytes body = new GrowableBytes(256 * 1024);

  /** The uncompressed request, valid until the next call. */
  GrowableBytes encode(Map<LokiStream, List<LokiEntry>> streams) {
    body.reset();
    CodedOutputStream out = CodedOutputStream.newInstance(body, 8192);
    try {
      for (Map.Entry<LokiStream, List<LokiEntry>> s : streams.entrySet()) {
        String labels = s.getKey().selector;
        int size = CodedOutputStream.computeStringSize(1, labels);
        for (LokiEntry e : s.getValue()) {
          size += delimited(2, entrySize(e));
        }
        out.writeTag(1, LEN);
        out.writeUInt32NoTag(size);
        out.writeString(1, labels);
        for (LokiEntry e : s.getValue()) {
          out.writeTag(2, LEN);
          out.writeUInt32NoTag(entrySize(e));
          writeEntry(out, e);
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into memory cannot fail", e);
    }
    return body;
  }

  private static void writeEntry(CodedOutputStream out, LokiEntry e) throws IOException {
    out.writeTag(1, LEN);
    out.writeUInt32NoTag(timestampSize(e.timestampNanos()));
    writeTimestamp(out, e.timestampNanos());
    out.writeString(2, e.line());
    String[] m = e.metadata();
    for (int i = 0; i + 1 < m.length; i += 2) {
      out.writeTag(3, LEN);
      out.writeUInt32NoTag(pairSize(m[i], m[i + 1]));
      out.writeString(1, m[i]);
      out.writeString(2, m[i + 1]);
    }
  }

  private static int entrySize(LokiEntry e) {
    int size = delimited(1, timestampSize(e.timestampNanos()));
    size += CodedOutputStream.computeStringSize(2, e.line());
    String[] m = e.metadata();
    for (int i = 0; i + 1 < m.length; i += 2) {
      size += delimited(3, pairSize(m[i], m[i + 1]));
    }
    return size;
  }

  // google.protobuf.Timestamp{int64 seconds = 1; int32 nanos = 2}; proto3 leaves zeros out.
  private static void writeTimestamp(CodedOutputStream out, long nanos) throws IOException {
    long seconds = Math.floorDiv(nanos, 1_000_000_000L);
    int rest = (int) Math.floorMod(nanos, 1_000_000_000L);
    if (seconds != 0) {
      out.writeInt64(1, seconds);
    }
    if (rest != 0) {
      out.writeInt32(2, rest);
    }
  }

  private static int timestampSize(long nanos) {
    long seconds = Math.floorDiv(nanos, 1_000_000_000L);
    int rest = (int) Math.floorMod(nanos, 1_000_000_000L);
    return (seconds != 0 ? CodedOutputStream.computeInt64Size(1, seconds) : 0)
        + (rest != 0 ? CodedOutputStream.computeInt32Size(2, rest) : 0);
  }

  private static int pairSize(String name, String value) {
    return CodedOutputStream.computeStringSize(1, name) + CodedOutputStream.computeStringSize(2, value);
  }

  private static int delimited(int field, int size) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
  }
}
