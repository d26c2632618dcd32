package io.gopherlens.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xerial.snappy.Snappy;

/**
 * Snappy block format (not the framed format), as remote write and Loki's push API expect, into a
 * reused output buffer.
 */
public final class SnappyBlock {
  private final GrowableBytes out = new GrowableBytes(64 * 1024);

  /** Compresses {@code in[0, length)}; the result stays valid until the next call. */
  public GrowableBytes compress(byte[] in, int length) {
    out.reset();
    byte[] target = out.ensure(Snappy.maxCompressedLength(length));
    try {
      out.advance(Snappy.compress(in, 0, length, target, 0));
    } catch (IOException e) {
      throw new UncheckedIOException("snappy failed to compress a " + length + "-byte body", e);
    }
    return out;
  }
}
