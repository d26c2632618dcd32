package io.gopherlens.export.loki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.gopherlens.testing.ScriptedHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Loki's push endpoint as the test peer: decodes each request the way Loki's
 * {@code ParseRequest} does (protobuf: snappy block format then {@code logproto.PushRequest}, the
 * stream's labels parsed from selector syntax; JSON: {@code streams[].stream/values}), rejects
 * what Loki would reject with 400, and keeps every accepted entry in arrival order.
 */
final class LokiReceiver implements AutoCloseable {
  record Entry(Map<String, String> labels, long timestampNanos, String line, Map<String, String> metadata) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ScriptedHttpServer server;
  private final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> requestSizes = Collections.synchronizedList(new ArrayList<>());

  private LokiReceiver(ScriptedHttpServer server) {
    this.server = server;
    server.onSuccess(r -> {
      List<Entry> decoded = decode(r);
      requestSizes.add(decoded.size());
      entries.addAll(decoded);
    });
  }

  static LokiReceiver start() throws IOException {
    return new LokiReceiver(ScriptedHttpServer.start(204));
  }

  /** On a given port, to come back where an exporter already points. */
  static LokiReceiver start(int port) throws IOException {
    return new LokiReceiver(ScriptedHttpServer.start(port, 204));
  }

  LokiReceiver script(int... statuses) {
    server.script(statuses);
    return this;
  }

  String pushUrl() {
    return server.url("/loki/api/v1/push");
  }

  List<Entry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  /** Entries per accepted request, in order. */
  List<Integer> requestSizes() {
    synchronized (requestSizes) {
      return List.copyOf(requestSizes);
    }
  }

  List<ScriptedHttpServer.Request> requests() {
    return server.requests();
  }

  @Override
  public void close() {
    server.close();
  }

  static List<Entry> decode(ScriptedHttpServer.Request r) {
    String type = r.header("Content-Type");
    if (!r.path().equals("/loki/api/v1/push")) {
      throw new IllegalArgumentException("404 " + r.path());
    }
    try {
      if ("application/json".equals(type)) {
        return decodeJson(r.body());
      }
      if ("application/x-protobuf".equals(type)) {
        return decodeProtobuf(Snappy.uncompress(r.body()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalArgumentException("unsupported Content-Type " + type);
  }

  private static List<Entry> decodeProtobuf(byte[] body) throws IOException {
    List<Entry> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(body);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (WireFormat.getTagFieldNumber(tag) != 1) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream stream = CodedInputStream.newInstance(in.readByteArray());
      Map<String, String> labels = null;
      List<byte[]> rawEntries = new ArrayList<>();
      while (!stream.isAtEnd()) {
        int t = stream.readTag();
        switch (WireFormat.getTagFieldNumber(t)) {
          case 1 -> labels = parseSelector(stream.readString());
          case 2 -> rawEntries.add(stream.readByteArray());
          default -> stream.skipField(t);
        }
      }
      if (labels == null || labels.isEmpty()) {
        throw new IllegalArgumentException("stream without labels");
      }
      for (byte[] raw : rawEntries) {
        out.add(decodeEntry(labels, CodedInputStream.newInstance(raw)));
      }
    }
    return out;
  }

  private static Entry decodeEntry(Map<String, String> labels, CodedInputStream in) throws IOException {
    long seconds = 0;
    int nanos = 0;
    String line = "";
    Map<String, String> metadata = new LinkedHashMap<>();
    while (!in.isAtEnd()) {
      int t = in.readTag();
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> {
          CodedInputStream ts = CodedInputStream.newInstance(in.readByteArray());
          while (!ts.isAtEnd()) {
            int tt = ts.readTag();
            switch (WireFormat.getTagFieldNumber(tt)) {
              case 1 -> seconds = ts.readInt64();
              case 2 -> nanos = ts.readInt32();
              default -> ts.skipField(tt);
            }
          }
        }
        case 2 -> line = in.readString();
        case 3 -> {
          CodedInputStream pair = CodedInputStream.newInstance(in.readByteArray());
          String name = "";
          String value = "";
          while (!pair.isAtEnd()) {
            int pt = pair.readTag();
            switch (WireFormat.getTagFieldNumber(pt)) {
              case 1 -> name = pair.readString();
              case 2 -> value = pair.readString();
              default -> pair.skipField(pt);
            }
          }
          metadata.put(name, value);
        }
        default -> in.skipField(t);
      }
    }
    return new Entry(labels, seconds * 1_000_000_000L + nanos, line, metadata);
  }

  private static List<Entry> decodeJson(byte[] body) throws IOException {
    List<Entry> out = new ArrayList<>();
    JsonNode root = JSON.readTree(body);
    for (JsonNode stream : root.path("streams")) {
      Map<String, String> labels = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = stream.path("stream").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        labels.put(e.getKey(), e.getValue().asText());
      }
      if (labels.isEmpty()) {
        throw new IllegalArgumentException("stream without labels");
      }
      for (JsonNode value : stream.path("values")) {
        if (!value.get(0).isTextual()) {
          throw new IllegalArgumentException("timestamp must be a string of Unix nanoseconds");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        if (value.size() > 2) {
          for (Iterator<Map.Entry<String, JsonNode>> it = value.get(2).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            metadata.put(e.getKey(), e.getValue().asText());
          }
        }
        out.add(new Entry(labels, Long.parseLong(value.get(0).asText()), value.get(1).asText(), metadata));
      }
    }
    return out;
  }

  /** {@code {a="1", b="x\"y"}} as Loki's parser (Prometheus label matchers, Go string literals) reads it. */
  static Map<String, String> parseSelector(String s) {
    Map<String, String> labels = new TreeMap<>();
    int i = 0;
    if (s.isEmpty() || s.charAt(i++) != '{') {
      throw new IllegalArgumentException("labels must start with {: " + s);
    }
    while (true) {
      while (i < s.length() && s.charAt(i) == ' ') i++;
      if (i < s.length() && s.charAt(i) == '}' && labels.isEmpty()) {
        i++;
        break;
      }
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
      String name = s.substring(start, i);
      if (name.isEmpty() || Character.isDigit(name.charAt(0)) || i + 1 >= s.length() || s.charAt(i) != '=' || s.charAt(i + 1) != '"') {
        throw new IllegalArgumentException("bad label at " + start + ": " + s);
      }
      i += 2;
      StringBuilder value = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') break;
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            case 'r' -> value.append('\r');
            case '"' -> value.append('"');
            case '\\' -> value.append('\\');
            case 'x' -> {
              value.append((char) Integer.parseInt(s.substring(i, i + 2), 16));
              i += 2;
            }
            default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
          }
        } else {
          value.append(c);
        }
      }
      if (labels.put(name, value.toString()) != null) {
        throw new IllegalArgumentException("duplicate label " + name + " in " + s);
      }
      while (i < s.length() && s.charAt(i) == ' ') i++;
      char sep = s.charAt(i++);
      if (sep == '}') break;
      if (sep != ',') throw new IllegalArgumentException("expected , or } at " + (i - 1) + ": " + s);
    }
    if (i != s.length()) {
      throw new IllegalArgumentException("trailing characters after }: " + s);
    }
    return labels;
  }
}
