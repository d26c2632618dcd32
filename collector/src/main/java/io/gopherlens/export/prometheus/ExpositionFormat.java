package io.gopherlens.export.prometheus;

import java.util.Locale;

/** The two text formats a scrape can ask for, and how a scrape's Accept header picks one. */
public enum ExpositionFormat {
  PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
  OPENMETRICS_TEXT("application/openmetrics-text; version=1.0.0; charset=utf-8");

  private static final String OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";

  private final String contentType;

  ExpositionFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The Content-Type header value of a response in this format. */
  public String contentType() {
    return contentType;
  }

  /**
   * Negotiates as Prometheus's own client libraries do (client_java's OpenMetrics writer {@code
   * accepts}): any mention of {@code application/openmetrics-text} selects OpenMetrics 1.0.0,
   * everything else (including no header, {@code *}{@code /*} and protobuf-only) gets text 0.0.4.
   * Prometheus 2.x sends OpenMetrics first in its default scrape Accept header. Media types are
   * case-insensitive (RFC 9110), so the match is too.
   */
  public static ExpositionFormat negotiate(String acceptHeader) {
    if (acceptHeader != null
        && acceptHeader.toLowerCase(Locale.ROOT).contains(OPENMETRICS_MEDIA_TYPE)) {
      return OPENMETRICS_TEXT;
    }
    return PROMETHEUS_TEXT;
  }
}
