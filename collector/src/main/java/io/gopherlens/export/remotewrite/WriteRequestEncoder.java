package io.gopherlens.export.remotewrite;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.gopherlens.export.GrowableBytes;
import io.gopherlens.export.prometheus.SeriesLabels;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Prometheus remote-write 1.0 {@code WriteRequest} (prompb/remote.proto, types.proto), written by
 * hand: {@code WriteRequest{repeated TimeSeries timeseries = 1}}, {@code TimeSeries{repeated Label
 * labels = 1; repeated Sample samples = 2}}, {@code Label{string name = 1; string value = 2}},
 * {@code Sample{double value = 1; int64 timestamp = 2}}. One sample per series per request. Sizes
 * are computed before writing, so nothing is buffered twice.
 */
final class WriteRequestEncoder {
  private final GrowableBytes body = new GrowableBytes(256 * 1024);
  private CodedOutputStream out;
  private int series;

  void reset() {
    body.reset();
    out = CodedOutputStream.newInstance(body, 8192);
    series = 0;
  }

  int series() {
    return series;
  }

  void add(SeriesLabels labels, double value, long timestampMillis) {
    try {
      int size = 0;
      for (int i = 0; i < labels.size(); i++) {
        int label = labelSize(labels, i);
        size += 1 + CodedOutputStream.computeUInt32SizeNoTag(label) + label;
      }
      int sample = sampleSize(timestampMillis);
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(sample) + sample;

      out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(size);
      for (int i = 0; i < labels.size(); i++) {
        out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(labelSize(labels, i));
        out.writeString(1, labels.name(i));
        out.writeString(2, labels.value(i));
      }
      out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(sample);
      out.writeDouble(1, value);
      out.writeInt64(2, timestampMillis);
      series++;
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into memory cannot fail", e);
    }
  }

  /** The encoded request, valid until the next {@link #reset()}. */
  GrowableBytes finish() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into memory cannot fail", e);
    }
    return body;
  }

  private static int labelSize(SeriesLabels labels, int i) {
    return CodedOutputStream.computeStringSize(1, labels.name(i))
        + CodedOutputStream.computeStringSize(2, labels.value(i));
  }

  private static int sampleSize(long timestampMillis) {
    return CodedOutputStream.computeDoubleSize(1, 0)
        + CodedOutputStream.computeInt64Size(2, timestampMillis);
  }
}
