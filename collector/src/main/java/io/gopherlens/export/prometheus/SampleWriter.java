package io.gopherlens.export.prometheus;

import io.netty.buffer.ByteBuf;
import io.opentelemetry.api.common.Attributes;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the lines of one scrape: headers and samples ({@code name{labels} value}). Lines are built
 * in a byte array and moved to the response buffer in 32 KiB blocks. A point's labels are encoded
 * once and copied onto each of its lines, so a histogram point with 20 buckets escapes its
 * attribute values once, not 20 times. Not thread-safe: one per scrape.
 */
final class SampleWriter implements AutoCloseable {
  private static final byte[] LE = "le=\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] QUANTILE = "quantile=\"".getBytes(StandardCharsets.US_ASCII);

  private static final int FLUSH_BYTES = 32 * 1024;

  private final ByteBuf out;
  private final boolean openMetrics;
  private final NumberWriter numbers = new NumberWriter();
  private final LabelEncoder labelEncoder;
  private final ByteSink labels;
  private final ByteSink lines = new ByteSink(FLUSH_BYTES + 4096);
  private List<Double> encodedBounds;
  private byte[][] encodedLe;

  SampleWriter(ByteBuf out, boolean openMetrics, NameCache names) {
    this.out = out;
    this.openMetrics = openMetrics;
    this.labelEncoder = new LabelEncoder(names, numbers);
    this.labels = labelEncoder.encoded();
  }

  /** Starts a point: its labels go on every line written until the next call. */
  void point(Attributes attributes, ScopeLabels scope, MetricKind kind) {
    labelEncoder.encode(attributes, scope, kind);
  }

  void sample(byte[] name, long value) {
    nameAndLabels(name);
    lines.write(' ');
    numbers.writeLong(lines, value);
    endLine();
  }

  void sample(byte[] name, double value) {
    nameAndLabels(name);
    lines.write(' ');
    numbers.writeDouble(lines, value, false);
    endLine();
  }

  /**
   * Encodes the {@code le} label of every bucket of the following points. All points of an SDK
   * histogram share one boundaries list, so formatting the bounds once per list instead of once per
   * line removes most of the float formatting (and its garbage) from a scrape.
   *
   * <p>{@code le} and {@code quantile} values are canonical floats ({@code 1.0}, not {@code 1}) in
   * both formats: that is what OpenMetrics requires and what Prometheus 3 normalizes text 0.0.4 to,
   * so Prometheus 2.x stores the same series whichever format it negotiated.
   */
  void bucketBounds(List<Double> bounds) {
    if (bounds == encodedBounds) {
      return;
    }
    encodedBounds = bounds;
    encodedLe = new byte[bounds.size() + 1][];
    ByteSink le = new ByteSink(32);
    for (int i = 0; i <= bounds.size(); i++) {
      le.reset();
      le.write(LE);
      numbers.writeDouble(le, i < bounds.size() ? bounds.get(i) : Double.POSITIVE_INFINITY, true);
      le.write('"');
      le.write('}');
      le.write(' ');
      encodedLe[i] = le.toByteArray();
    }
  }

  /** Bucket {@code index} of the bounds last given to {@link #bucketBounds}; the last is +Inf. */
  void bucket(byte[] name, int index, long cumulativeCount) {
    lines.write(name);
    lines.write('{');
    if (labels.size() > 0) {
      lines.write(labels);
      lines.write(',');
    }
    lines.write(encodedLe[index]);
    numbers.writeLong(lines, cumulativeCount);
    endLine();
  }

  void quantile(byte[] name, double quantile, double value) {
    nameLabelsAnd(name, QUANTILE, quantile);
    numbers.writeDouble(lines, value, false);
    endLine();
  }

  /** Bytes written as they are, e.g. {@code # EOF}. */
  void raw(byte[] bytes) {
    lines.write(bytes);
  }

  /** A {@code # KEYWORD name text} line; only HELP text needs escaping. */
  void header(byte[] keyword, byte[] name, String text, boolean escapeHelp) {
    lines.write(keyword);
    lines.write(name);
    lines.write(' ');
    if (escapeHelp) {
      lines.writeHelp(text, openMetrics);
    } else {
      lines.writeUtf8(text);
    }
    endLine();
  }

  private void nameAndLabels(byte[] name) {
    lines.write(name);
    if (labels.size() > 0) {
      lines.write('{');
      lines.write(labels);
      lines.write('}');
    }
  }

  private void nameLabelsAnd(byte[] name, byte[] extraLabel, double extraValue) {
    lines.write(name);
    lines.write('{');
    if (labels.size() > 0) {
      lines.write(labels);
      lines.write(',');
    }
    lines.write(extraLabel);
    numbers.writeDouble(lines, extraValue, true);
    lines.write('"');
    lines.write('}');
    lines.write(' ');
  }

  private void endLine() {
    lines.write('\n');
    if (lines.size() >= FLUSH_BYTES) {
      lines.drainTo(out);
    }
  }

  /** Moves what is still buffered to the output. */
  @Override
  public void close() {
    lines.drainTo(out);
  }
}
