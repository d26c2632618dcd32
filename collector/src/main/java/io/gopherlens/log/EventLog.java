package io.gopherlens.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Events as JSON lines ({"ts","event",...fields}) on an output stream, stdout by default: the
 * agent's default sink when no log backend is configured.
 */
public final class EventLog {
  private final JsonGenerator generator;

  public EventLog(OutputStream out) {
    try {
      generator = new JsonFactory().createGenerator(out);
      generator.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one event line; fields are alternating key/value pairs. */
  public synchronized void emit(String event, Object... kv) {
    try {
      generator.writeStartObject();
      generator.writeStringField("ts", Instant.now().toString());
      generator.writeStringField("event", event);
      for (int i = 0; i + 1 < kv.length; i += 2) {
        Json.writeField(generator, String.valueOf(kv[i]), kv[i + 1]);
      }
      generator.writeEndObject();
      generator.writeRaw('\n');
      generator.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write event " + event, e);
    }
  }
}
