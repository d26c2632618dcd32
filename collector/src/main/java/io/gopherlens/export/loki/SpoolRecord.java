package io.gopherlens.export.loki;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One entry on disk: {@code [int payload length][int CRC32C of payload][payload]}, payload = label
 * count, label names and values, timestamp, line, metadata count, metadata names and values;
 * strings as {@code [int length][UTF-8]}. The CRC finds a record torn by a crash mid-write.
 */
final class SpoolRecord {
  static final int HEADER = 8;
  static final int MAX_PAYLOAD = 16 << 20;

  private SpoolRecord() {}

  static byte[] encode(LokiEntry e) {
    LokiStream s = e.stream();
    byte[][] strings = new byte[2 * s.names.length + 1 + e.metadata().length][];
    int n = 0;
    for (int i = 0; i < s.names.length; i++) {
      strings[n++] = utf8(s.names[i]);
      strings[n++] = utf8(s.values[i]);
    }
    strings[n++] = utf8(e.line());
    for (String m : e.metadata()) {
      strings[n++] = utf8(m);
    }
    int payload = 4 + 8 + 4;
    for (byte[] b : strings) {
      payload += 4 + b.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(HEADER + payload);
    buf.putInt(payload).putInt(0).putInt(s.names.length);
    n = 0;
    for (int i = 0; i < 2 * s.names.length; i++) {
      putString(buf, strings[n++]);
    }
    buf.putLong(e.timestampNanos());
    putString(buf, strings[n++]);
    buf.putInt(e.metadata().length);
    while (n < strings.length) {
      putString(buf, strings[n++]);
    }
    byte[] bytes = buf.array();
    buf.putInt(4, crc(bytes, HEADER, payload));
    return bytes;
  }

  /** Decodes a payload whose CRC was checked; throws IllegalArgumentException if malformed. */
  static LokiEntry decode(ByteBuffer payload) {
    try {
      int labels = payload.getInt();
      if (labels < 0 || labels > 64) {
        throw new IllegalArgumentException("label count " + labels);
      }
      String[] names = new String[labels];
      String[] values = new String[labels];
      for (int i = 0; i < labels; i++) {
        names[i] = getString(payload);
        values[i] = getString(payload);
      }
      long timestamp = payload.getLong();
      String line = getString(payload);
      int metadata = payload.getInt();
      if (metadata < 0 || metadata > payload.remaining() / 4) {
        throw new IllegalArgumentException("metadata count " + metadata);
      }
      String[] pairs = new String[metadata];
      for (int i = 0; i < metadata; i++) {
        pairs[i] = getString(payload);
      }
      return new LokiEntry(new LokiStream(names, values), timestamp, line, pairs);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("record shorter than its fields", e);
    }
  }

  static int crc(byte[] b, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, offset, length);
    return (int) crc.getValue();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void putString(ByteBuffer buf, byte[] b) {
    buf.putInt(b.length).put(b);
  }

  private static String getString(ByteBuffer buf) {
    int length = buf.getInt();
    if (length < 0 || length > buf.remaining()) {
      throw new IllegalArgumentException("string length " + length);
    }
    String s = new String(buf.array(), buf.arrayOffset() + buf.position(), length, StandardCharsets.UTF_8);
    buf.position(buf.position() + length);
    return s;
  }
}
