package io.gopherlens.export;

/**
 * The protobuf wire format for the few message shapes the push exporters send (remote write's
 * WriteRequest, Loki's PushRequest), into a reused buffer with no allocation per field. Nested
 * messages are written as {@code tag, length, fields}: callers compute a message's size first with
 * the {@code *Size} methods. Hand-written because protobuf-java's stream encoder allocates for
 * every string it writes (4.35).
 */
public final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;

  private final GrowableBytes out;

  public ProtoWriter(GrowableBytes out) {
    this.out = out;
  }

  /** The tag and length of a nested message of {@code size} bytes; its fields follow. */
  public void message(int field, int size) {
    tag(field, LENGTH_DELIMITED);
    varint(size);
  }

  public void string(int field, String value) {
    int length = Utf8.encodedLength(value);
    tag(field, LENGTH_DELIMITED);
    varint(length);
    byte[] b = out.ensure(length);
    out.advance(Utf8.encode(value, b, out.size()) - out.size());
  }

  public void int64(int field, long value) {
    tag(field, VARINT);
    varint(value);
  }

  public void double64(int field, double value) {
    tag(field, FIXED64);
    long bits = Double.doubleToRawLongBits(value);
    byte[] b = out.ensure(8);
    int p = out.size();
    for (int i = 0; i < 8; i++) {
      b[p + i] = (byte) (bits >>> (8 * i));
    }
    out.advance(8);
  }

  public static int messageSize(int field, int size) {
    return tagSize(field) + varintSize(size) + size;
  }

  public static int stringSize(int field, String value) {
    int length = Utf8.encodedLength(value);
    return tagSize(field) + varintSize(length) + length;
  }

  public static int int64Size(int field, long value) {
    return tagSize(field) + varintSize(value);
  }

  public static int double64Size(int field) {
    return tagSize(field) + 8;
  }

  private void tag(int field, int wireType) {
    varint((field << 3) | wireType);
  }

  private void varint(long value) {
    byte[] b = out.ensure(10);
    int p = out.size();
    while ((value & ~0x7FL) != 0) {
      b[p++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    b[p++] = (byte) value;
    out.advance(p - out.size());
  }

  private static int tagSize(int field) {
    return varintSize(field << 3);
  }

  private static int varintSize(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      n++;
      value >>>= 7;
    }
    return n;
  }
}
