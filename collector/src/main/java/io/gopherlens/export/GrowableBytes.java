package io.gopherlens.export;

import java.io.OutputStream;
import java.util.Arrays;

/** A reusable, growable byte buffer to encode request bodies into without a copy per request. */
public final class GrowableBytes extends OutputStream {
  private byte[] bytes;
  private int size;

  public GrowableBytes(int initialCapacity) {
    bytes = new byte[initialCapacity];
  }

  public byte[] array() {
    return bytes;
  }

  public int size() {
    return size;
  }

  public void reset() {
    size = 0;
  }

  /** Makes room for {@code n} more bytes and returns the array to write them at {@link #size()}. */
  public byte[] ensure(int n) {
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
    return bytes;
  }

  /** Marks {@code n} bytes written directly into {@link #array()} at {@link #size()}. */
  public void advance(int n) {
    size += n;
  }

  @Override
  public void write(int b) {
    ensure(1)[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    System.arraycopy(b, off, ensure(len), size, len);
    size += len;
  }
}
