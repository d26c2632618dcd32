package io.gopherlens.export.loki;

/**
 * The labels of one Loki stream, sorted by name, with their selector form {@code {a="1", b="2"}}
 * (values quoted as Go's strconv.Quote does, which is what Loki's label parser reads back).
 */
final class LokiStream {
  final String[] names;
  final String[] values;
  final String selector;

  /** {@code names} must be sorted and distinct; the arrays are kept, not copied. */
  LokiStream(String[] names, String[] values) {
    this.names = names;
    this.values = values;
    this.selector = selector(names, values);
  }

  private static String selector(String[] names, String[] values) {
    StringBuilder s = new StringBuilder(64).append('{');
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(names[i]).append("=\"");
      quote(s, values[i]);
      s.append('"');
    }
    return s.append('}').toString();
  }

  private static void quote(StringBuilder s, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            s.append(String.format("\\x%02x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LokiStream other && selector.equals(other.selector);
  }

  @Override
  public int hashCode() {
    return selector.hashCode();
  }

  @Override
  public String toString() {
    return selector;
  }
}
