package io.gopherlens.export.loki;

import io.gopherlens.export.GrowableBytes;
import io.gopherlens.export.Utf8;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One entry on disk: {@code [int payload length][int CRC32C of payload][payload]}, payload = label
 * count, label names and values, timestamp, line, metadata count, metadata names and values;
 * big-endian, strings as {@code [int length][UTF-8]}. The CRC finds a record torn by a crash
 * mid-write. Encodes into a reused buffer; not thread-safe.
 */
final class SpoolRecord {
  static final int HEADER = 8;
  static final int MAX_PAYLOAD = 16 << 20;

  private final GrowableBytes out = new GrowableBytes(4096);
  private final CRC32C crc = new CRC32C();
  // The previous decoded stream: consecutive entries mostly share it, and reusing it saves
  // rebuilding the selector.
  private LokiStream lastStream;

  /** The record of {@code e}, valid until the next call. */
  GrowableBytes encode(LokiEntry e) {
    out.reset();
    out.ensure(HEADER);
    out.advance(HEADER);
    LokiStream s = e.stream();
    putInt(s.names.length);
    for (int i = 0; i < s.names.length; i++) {
      putString(s.names[i]);
      putString(s.values[i]);
    }
    putLong(e.timestampNanos());
    putString(e.line());
    putInt(e.metadata().length);
    for (String m : e.metadata()) {
      putString(m);
    }
    int payload = out.size() - HEADER;
    byte[] b = out.array();
    writeInt(b, 0, payload);
    writeInt(b, 4, crc(b, HEADER, payload));
    return out;
  }

  /** Decodes a payload whose CRC was checked; throws IllegalArgumentException if malformed. */
  LokiEntry decode(ByteBuffer payload) {
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
      LokiStream stream = lastStream;
      if (stream == null || !Arrays.equals(stream.names, names) || !Arrays.equals(stream.values, values)) {
        stream = new LokiStream(names, values);
        lastStream = stream;
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
      return new LokiEntry(stream, timestamp, line, pairs);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("record shorter than its fields", e);
    }
  }

  int crc(byte[] b, int offset, int length) {
    crc.reset();
    crc.update(b, offset, length);
    return (int) crc.getValue();
  }

  private void putInt(int v) {
    writeInt(out.ensure(4), out.size(), v);
    out.advance(4);
  }

  private void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  private void putString(String s) {
    int length = Utf8.encodedLength(s);
    putInt(length);
    out.advance(Utf8.encode(s, out.ensure(length), out.size()) - out.size());
  }

  private static void writeInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
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
