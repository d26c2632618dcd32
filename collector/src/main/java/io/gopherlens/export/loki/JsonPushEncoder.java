package io.gopherlens.export.loki;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.gopherlens.export.GrowableBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Loki's JSON push body: {@code {"streams":[{"stream":{"label":"value"},"values":[["<unix ns>",
 * "line", {"metadata":"value"}]]}]}}; the metadata object is left out of an entry without any.
 */
final class JsonPushEncoder {
  private static final JsonFactory JSON = new JsonFactory();
  private final GrowableBytes body = new GrowableBytes(256 * 1024);

  GrowableBytes encode(Map<LokiStream, List<LokiEntry>> streams) {
    body.reset();
    try (JsonGenerator g = JSON.createGenerator(body)) {
      g.writeStartObject();
      g.writeArrayFieldStart("streams");
      for (Map.Entry<LokiStream, List<LokiEntry>> s : streams.entrySet()) {
        g.writeStartObject();
        g.writeObjectFieldStart("stream");
        LokiStream stream = s.getKey();
        for (int i = 0; i < stream.names.length; i++) {
          g.writeStringField(stream.names[i], stream.values[i]);
        }
        g.writeEndObject();
        g.writeArrayFieldStart("values");
        for (LokiEntry e : s.getValue()) {
          g.writeStartArray();
          g.writeString(Long.toString(e.timestampNanos()));
          g.writeString(e.line());
          String[] m = e.metadata();
          if (m.length > 0) {
            g.writeStartObject();
            for (int i = 0; i + 1 < m.length; i += 2) {
              g.writeStringField(m[i], m[i + 1]);
            }
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into memory cannot fail", e);
    }
    return body;
  }
}
