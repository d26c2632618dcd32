package io.gopherlens.export.remotewrite;

import io.gopherlens.export.GrowableBytes;
import io.gopherlens.export.ProtoWriter;
import io.gopherlens.export.prometheus.SeriesLabels;

/**
 * Prometheus remote-write 1.0 {@code WriteRequest} (prompb/remote.proto, types.proto): {@code
 * WriteRequest{repeated TimeSeries timeseries = 1}}, {@code TimeSeries{repeated Label labels = 1;
 * repeated Sample samples = 2}}, {@code Label{string name = 1; string value = 2}}, {@code
 * Sample{double value = 1; int64 timestamp = 2}}. One sample per series per request. Sizes are
 * computed before writing, so nothing is buffered twice.
 */
final class WriteRequestEncoder {
  private final GrowableBytes body = new GrowableBytes(256 * 1024);
  private final ProtoWriter out = new ProtoWriter(body);
  private int series;

  void reset() {
    body.reset();
    series = 0;
  }

  int series() {
    return series;
  }

  void add(SeriesLabels labels, double value, long timestampMillis) {
    int size = 0;
    for (int i = 0; i < labels.size(); i++) {
      size += ProtoWriter.messageSize(1, labelSize(labels, i));
    }
    int sample = ProtoWriter.double64Size(1) + ProtoWriter.int64Size(2, timestampMillis);
    size += ProtoWriter.messageSize(2, sample);

    out.message(1, size);
    for (int i = 0; i < labels.size(); i++) {
      out.message(1, labelSize(labels, i));
      out.string(1, labels.name(i));
      out.string(2, labels.value(i));
    }
    out.message(2, sample);
    out.double64(1, value);
    out.int64(2, timestampMillis);
    series++;
  }

  /** The encoded request, valid until the next {@link #reset()}. */
  GrowableBytes finish() {
    return body;
  }

  private static int labelSize(SeriesLabels labels, int i) {
    return ProtoWriter.stringSize(1, labels.name(i)) + ProtoWriter.stringSize(2, labels.value(i));
  }
}
