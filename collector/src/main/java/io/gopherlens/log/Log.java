package io.gopherlens.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;

/**
 * The agent's own structured log: one JSON object per line on stderr, so stdout stays a clean
 * stream of events. Fields come as alternating key/value arguments.
 */
public final class Log {
  public enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static volatile Level threshold = Level.INFO;
  private static volatile PrintStream out = System.err;

  private final String component;

  private Log(String component) {
    this.component = component;
  }

  public static Log of(Class<?> owner) {
    return new Log(owner.getSimpleName());
  }

  public static void setLevel(Level level) {
    threshold = level;
  }

  public static void setOutput(PrintStream stream) {
    out = stream;
  }

  public boolean enabled(Level level) {
    return level.compareTo(threshold) >= 0;
  }

  public void debug(String msg, Object... kv) {
    write(Level.DEBUG, msg, kv);
  }

  public void info(String msg, Object... kv) {
    write(Level.INFO, msg, kv);
  }

  public void warn(String msg, Object... kv) {
    write(Level.WARN, msg, kv);
  }

  public void error(String msg, Object... kv) {
    write(Level.ERROR, msg, kv);
  }

  private void write(Level level, String msg, Object[] kv) {
    if (!enabled(level)) {
      return;
    }
    StringWriter line = new StringWriter(128);
    try (JsonGenerator g = JSON.createGenerator(line)) {
      g.writeStartObject();
      g.writeStringField("ts", Instant.now().toString());
      g.writeStringField("level", level.name().toLowerCase());
      g.writeStringField("component", component);
      g.writeStringField("msg", msg);
      for (int i = 0; i + 1 < kv.length; i += 2) {
        Json.writeField(g, String.valueOf(kv[i]), kv[i + 1]);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new AssertionError("writing to a StringWriter cannot fail", e);
    }
    out.println(line);
  }
}
