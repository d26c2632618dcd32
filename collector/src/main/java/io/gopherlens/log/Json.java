package io.gopherlens.log;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes a field of any simple type the logs and events carry. */
final class Json {
  private Json() {}

  static void writeField(JsonGenerator g, String key, Object value) throws IOException {
    if (value == null) {
      g.writeNullField(key);
    } else if (value instanceof Integer i) {
      g.writeNumberField(key, i);
    } else if (value instanceof Long l) {
      g.writeNumberField(key, l);
    } else if (value instanceof Double d) {
      g.writeNumberField(key, d);
    } else if (value instanceof Boolean b) {
      g.writeBooleanField(key, b);
    } else {
      g.writeStringField(key, value.toString());
    }
  }
}
