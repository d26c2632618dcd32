package io.gopherlens.export.prometheus;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** A sanitized label name with its {@code name="} prefix pre-encoded. */
final class LabelName {
  // Labels the writer adds itself; an attribute translating to one of these takes the slow path
  // so that a series never carries the same label twice.
  private static final Set<String> RESERVED =
      Set.of("le", "quantile", ScopeLabels.NAME, ScopeLabels.VERSION);

  // Declared after RESERVED, which its constructor reads.
  /** Attribute keys with nothing valid in them; their attributes are dropped. */
  static final LabelName INVALID = new LabelName("");

  final String name;
  final int hash;
  final byte[] prefix;
  final boolean reserved;

  LabelName(String name) {
    this.name = name;
    this.hash = name.hashCode();
    this.prefix = (name + "=\"").getBytes(StandardCharsets.US_ASCII);
    this.reserved = RESERVED.contains(name);
  }

  boolean sameName(LabelName other) {
    return hash == other.hash && name.equals(other.name);
  }
}
