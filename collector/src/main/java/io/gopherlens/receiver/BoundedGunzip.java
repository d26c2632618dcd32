package io.gopherlens.receiver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.util.function.LongPredicate;
import java.util.zip.GZIPInputStream;

/**
 * Inflates a gzip body while counting: it stops at {@code limit} bytes (a gzip bomb inflates a
 * few KiB into gigabytes) and reserves every chunk from the caller's budget before keeping it.
 */
final class BoundedGunzip {
  static final int CHUNK = 64 << 10;

  /** Why inflating stopped early. */
  static final class Refused extends Exception {
    final boolean tooLarge;

    Refused(boolean tooLarge, String message) {
      super(message, null, false, false);
      this.tooLarge = tooLarge;
    }
  }

  private BoundedGunzip() {}

  /**
   * The inflated bytes, owned by the caller; {@code reserve} is asked for each chunk's bytes first.
   *
   * @throws IOException when the input is not valid gzip
   * @throws Refused when the output passes {@code limit} or {@code reserve} says no
   */
  static ByteBuf inflate(ByteBufAllocator alloc, ByteBuf gzip, int limit, LongPredicate reserve) throws IOException, Refused {
    ByteBuf out = alloc.heapBuffer(Math.min(limit, Math.max(CHUNK, gzip.readableBytes() * 4)), limit);
    boolean ok = false;
    long granted = 0;
    try (GZIPInputStream in = new GZIPInputStream(new ByteBufInputStream(gzip.duplicate()), 8192)) {
      while (true) {
        if (out.writerIndex() == limit) {
          if (in.read() < 0) break;
          throw new Refused(true, "gzip body inflates past receiver.max_decompressed (" + limit + " bytes)");
        }
        int want = Math.min(CHUNK, limit - out.writerIndex());
        long need = out.writerIndex() + (long) want - granted;
        if (need > 0) {
          if (!reserve.test(need)) throw new Refused(false, "no in-flight budget left to inflate the body");
          granted += need;
        }
        out.ensureWritable(want);
        int n = in.read(out.array(), out.arrayOffset() + out.writerIndex(), want);
        if (n < 0) break;
        out.writerIndex(out.writerIndex() + n);
      }
      ok = true;
      return out;
    } finally {
      if (!ok) out.release();
    }
  }
}
