package io.gopherlens.export.prometheus;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import java.nio.charset.StandardCharsets;

/**
 * The {@code otel_scope_name}/{@code otel_scope_version} labels the OTel spec requires on every
 * point by default; they keep same-named metrics from two instrumentation scopes apart, which would
 * otherwise be duplicate series that fail the whole scrape. Schema URL and scope attributes are not
 * added.
 */
final class ScopeLabels {
  static final String NAME = "otel_scope_name";
  static final String VERSION = "otel_scope_version";

  private static final byte[] NAME_PREFIX = (NAME + "=\"").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VERSION_PREFIX =
      (VERSION + "=\"").getBytes(StandardCharsets.US_ASCII);

  final String name;
  final String version;

  /** Pre-encoded {@code otel_scope_name="..",otel_scope_version=".."}, rendered once per metric. */
  final byte[] encoded;

  private ScopeLabels(String name, String version, byte[] encoded) {
    this.name = name;
    this.version = version;
    this.encoded = encoded;
  }

  static final ScopeLabels NONE = new ScopeLabels(null, null, new byte[0]);

  static ScopeLabels of(InstrumentationScopeInfo scope) {
    String version = scope.getVersion();
    if (version != null && version.isEmpty()) {
      version = null;
    }
    ByteSink buf = new ByteSink(64);
    writeLabel(buf, NAME_PREFIX, scope.getName());
    if (version != null) {
      buf.write(',');
      writeLabel(buf, VERSION_PREFIX, version);
    }
    return new ScopeLabels(scope.getName(), version, buf.toByteArray());
  }

  private static void writeLabel(ByteSink buf, byte[] prefix, String value) {
    buf.write(prefix);
    buf.writeLabelValue(value);
    buf.write('"');
  }
}
