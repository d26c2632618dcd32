package io.gopherlens.export.prometheus;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The translated names of one metric family, kept as ASCII bytes so a scrape copies them instead of
 * encoding a String per sample.
 */
final class FamilyNames {
  final String family;
  final MetricKind kind;

  /** Prometheus unit word ("" for none); OpenMetrics writes it as {@code # UNIT}. */
  final String unit;

  /** Name on HELP/TYPE lines in text 0.0.4: counters carry {@code _total} there too. */
  final byte[] textHeaderName;

  /** Name on TYPE/UNIT/HELP lines in OpenMetrics: always the bare family name. */
  final byte[] openMetricsHeaderName;

  /** Name of a counter or gauge sample, or of a summary quantile sample. */
  final byte[] sample;

  final byte[] bucket;
  final byte[] sum;
  final byte[] count;

  /** The sample names as Strings, for push protocols that carry them as label values. */
  final String sampleName;
  final String bucketName;
  final String sumName;
  final String countName;

  /**
   * Every name this family puts in a scrape (family and sample names); another family claiming any
   * of them would make the scrape invalid in one of the two formats.
   */
  final List<String> exposedNames;

  FamilyNames(String family, MetricKind kind, String unit) {
    this.family = family;
    this.kind = kind;
    this.unit = unit;
    this.sampleName = kind == MetricKind.COUNTER ? family + "_total" : family;
    this.bucketName = family + "_bucket";
    this.sumName = family + "_sum";
    this.countName = family + "_count";
    this.sample = ascii(sampleName);
    this.textHeaderName = sample;
    this.openMetricsHeaderName = ascii(family);
    this.bucket = ascii(bucketName);
    this.sum = ascii(sumName);
    this.count = ascii(countName);
    this.exposedNames =
        switch (kind) {
          case COUNTER -> List.of(family, family + "_total");
          case GAUGE -> List.of(family);
          case HISTOGRAM -> List.of(family, family + "_bucket", family + "_sum", family + "_count");
          case SUMMARY -> List.of(family, family + "_sum", family + "_count");
        };
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
