package io.gopherlens.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Events as JSON lines ({"ts","event",...fields}) on an output stream (stdout by default) and,
 * when a log exporter is configured, as OpenTelemetry log records: event name, the fields as
 * attributes, and the same content as a readable one-line body.
 */
public final class EventLog {
  private final JsonGenerator generator; // null: no JSON lines
  private final Logger logger; // null: no log records

  public EventLog(OutputStream out) {
    this(out, null);
  }

  /** Either may be null, not both. */
  public EventLog(OutputStream out, Logger logger) {
    if (out == null && logger == null) {
      throw new IllegalArgumentException("an event log needs an output stream or a logger");
    }
    this.logger = logger;
    if (out == null) {
      generator = null;
      return;
    }
    try {
      generator = new JsonFactory().createGenerator(out);
      generator.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one event; fields are alternating key/value pairs. */
  public void emit(String event, Object... kv) {
    Instant now = Instant.now();
    if (generator != null) {
      writeLine(now, event, kv);
    }
    if (logger != null) {
      logRecord(now, event, kv);
    }
  }

  private synchronized void writeLine(Instant now, String event, Object[] kv) {
    try {
      generator.writeStartObject();
      generator.writeStringField("ts", now.toString());
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

  private void logRecord(Instant now, String event, Object[] kv) {
    AttributesBuilder attributes = Attributes.builder();
    StringBuilder body = new StringBuilder(event);
    for (int i = 0; i + 1 < kv.length; i += 2) {
      String key = String.valueOf(kv[i]);
      Object value = kv[i + 1];
      if (value == null) continue; // an unknown value is left out, as in OTLP attributes
      body.append(' ').append(key).append('=').append(value);
      if (value instanceof Integer n) attributes.put(AttributeKey.longKey(key), n.longValue());
      else if (value instanceof Long n) attributes.put(AttributeKey.longKey(key), n);
      else if (value instanceof Double d) attributes.put(AttributeKey.doubleKey(key), d);
      else if (value instanceof Boolean b) attributes.put(AttributeKey.booleanKey(key), b);
      else attributes.put(AttributeKey.stringKey(key), value.toString());
    }
    Severity severity = severity(event);
    logger
        .logRecordBuilder()
        .setEventName(event)
        .setTimestamp(now)
        .setSeverity(severity)
        .setSeverityText(severity.name())
        .setAllAttributes(attributes.build())
        .setBody(body.toString())
        .emit();
  }

  /** Failures (tcp.connect.failed) are warnings; everything else is information. */
  static Severity severity(String event) {
    return event.endsWith(".failed") ? Severity.WARN : Severity.INFO;
  }
}
