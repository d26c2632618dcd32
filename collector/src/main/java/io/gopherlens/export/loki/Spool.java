package io.gopherlens.export.loki;

import io.gopherlens.export.GrowableBytes;
import io.gopherlens.log.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The on-disk queue: append-only segment files {@code segment-<n>.log} of {@link SpoolRecord}s and
 * an {@code ack} file naming the first unacknowledged record (segment, offset). Entries are
 * replayed from there, in order, when a new exporter opens the folder; segments wholly before it
 * are deleted. An acknowledged batch is never sent again, except when the agent dies between
 * Loki's 2xx and the ack write (Loki drops an exact duplicate entry of a stream).
 *
 * <p>Durability: appends are written straight to the file (no user-space buffer), so a killed
 * agent loses nothing; {@link #sync()} (called by the sender at most once a second) fsyncs the
 * segment, so a power loss costs at most the last second. The ack file is fsynced on each ack.
 * Bounded by {@code limitBytes} of segment files: when full, new entries are refused.
 */
final class Spool implements EntryQueue {
  private static final Log LOG = Log.of(Spool.class);
  private static final String PREFIX = "segment-";
  private static final String SUFFIX = ".log";
  private static final int ACK_BYTES = 20;

  private record Position(long segment, long offset) {}

  private final Path dir;
  private final long limitBytes;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileChannel ackChannel;
  private final TreeMap<Long, Long> segmentSizes = new TreeMap<>();
  private final ByteBuffer header = ByteBuffer.allocate(SpoolRecord.HEADER);
  private final SpoolRecord codec = new SpoolRecord();
  private ByteBuffer payload = ByteBuffer.allocate(4096);
  private FileChannel writer;
  private long writerSegment;
  private Position acked;
  private Position peekEnd;
  private int peekCount;
  private long totalBytes;
  private int entries;
  private boolean dirty;
  private long corrupt;

  /** Opens (or creates) the spool in {@code dir}; fails if another exporter holds it. */
  Spool(Path dir, long limitBytes) {
    this.dir = dir;
    this.limitBytes = limitBytes;
    this.segmentBytes = Math.max(4 << 10, Math.min(32 << 20, limitBytes / 8));
    try {
      Files.createDirectories(dir);
      lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        lockChannel.close();
        throw new IllegalStateException(
            "Loki spool " + dir + " is in use by another exporter; give each agent its own spool directory");
      }
      lock = l;
      ackChannel = FileChannel.open(dir.resolve("ack"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      loadSegments();
      acked = readAck();
      dropBefore(acked.segment);
      entries = countAndRepair();
      long last = segmentSizes.isEmpty() ? Math.max(1, acked.segment) : Math.max(segmentSizes.lastKey(), acked.segment);
      openWriter(last);
      if (entries > 0) {
        LOG.info("replaying spooled log entries", "spool", dir, "entries", entries, "bytes", totalBytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("failed to open Loki spool " + dir + ": " + e.getMessage()
          + "; check that the directory is writable or unset the spool", e);
    }
  }

  /** Records found torn or corrupt at open and skipped. */
  long corruptRecords() {
    return corrupt;
  }

  @Override
  public synchronized boolean offer(LokiEntry entry) {
    GrowableBytes encoded = codec.encode(entry);
    int length = encoded.size();
    if (length - SpoolRecord.HEADER > SpoolRecord.MAX_PAYLOAD || totalBytes + length > limitBytes) {
      return false;
    }
    try {
      if (segmentSizes.get(writerSegment) + length > segmentBytes && segmentSizes.get(writerSegment) > 0) {
        writer.force(false);
        writer.close();
        openWriter(writerSegment + 1);
      }
      ByteBuffer buf = ByteBuffer.wrap(encoded.array(), 0, length);
      long position = segmentSizes.get(writerSegment);
      while (buf.hasRemaining()) {
        position += writer.write(buf, position);
      }
      segmentSizes.put(writerSegment, position);
      totalBytes += length;
      entries++;
      dirty = true;
      return true;
    } catch (IOException e) {
      LOG.warn("failed to append to the Loki spool; entry dropped", "spool", dir, "error", e.toString(),
          "fix", "check free space and permissions of the spool directory");
      return false;
    }
  }

  @Override
  public synchronized List<LokiEntry> peek(int max) {
    List<LokiEntry> batch = new ArrayList<>(Math.min(max, entries));
    long segment = acked.segment;
    long offset = acked.offset;
    try {
      while (batch.size() < max && batch.size() < entries) {
        Long size = segmentSizes.get(segment);
        if (size == null || offset >= size) {
          Long next = segmentSizes.higherKey(segment);
          if (next == null) {
            break;
          }
          segment = next;
          offset = 0;
          continue;
        }
        try (FileChannel in = segment == writerSegment ? null : FileChannel.open(segmentPath(segment), StandardOpenOption.READ)) {
          FileChannel channel = in != null ? in : writer;
          while (batch.size() < max && batch.size() < entries && offset < size) {
            ByteBuffer record = readRecord(channel, offset, size);
            if (record == null) {
              throw new IOException("record at " + offset + " of segment " + segment + " is corrupt");
            }
            int length = record.remaining();
            batch.add(codec.decode(record));
            offset += SpoolRecord.HEADER + length;
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("failed to read the Loki spool " + dir + ": " + e.getMessage(), e);
    }
    peekEnd = new Position(segment, offset);
    peekCount = batch.size();
    return batch;
  }

  @Override
  public synchronized void ack(int count) {
    if (count != peekCount) {
      throw new IllegalStateException("ack of " + count + " entries after a peek of " + peekCount);
    }
    acked = peekEnd;
    entries -= count;
    peekCount = 0;
    try {
      if (entries == 0 && segmentSizes.get(writerSegment) > 0) {
        // Drained: start a fresh segment so the acknowledged one can go.
        writer.close();
        openWriter(writerSegment + 1);
        acked = new Position(writerSegment, 0);
      }
      writeAck(acked);
      dropBefore(acked.segment);
    } catch (IOException e) {
      throw new UncheckedIOException("failed to record progress in Loki spool " + dir
          + ": " + e.getMessage() + "; entries may be sent again after a restart", e);
    }
  }

  @Override
  public synchronized int size() {
    return entries;
  }

  @Override
  public synchronized void sync() {
    if (!dirty) {
      return;
    }
    try {
      writer.force(false);
      dirty = false;
    } catch (IOException e) {
      LOG.warn("failed to fsync the Loki spool", "spool", dir, "error", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    try {
      writer.force(false);
      writer.close();
      ackChannel.close();
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("failed to close the Loki spool cleanly", "spool", dir, "error", e.toString());
    }
  }

  private void loadSegments() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        try {
          long id = Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
          long size = Files.size(p);
          segmentSizes.put(id, size);
          totalBytes += size;
        } catch (NumberFormatException e) {
          LOG.warn("ignoring a file that is not a spool segment", "file", p);
        }
      }
    }
  }

  private Position readAck() throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(ACK_BYTES);
    while (buf.hasRemaining() && ackChannel.read(buf, buf.position()) > 0) {}
    long first = segmentSizes.isEmpty() ? 1 : segmentSizes.firstKey();
    if (buf.position() == 0) {
      return new Position(first, 0);
    }
    if (buf.position() == ACK_BYTES && codec.crc(buf.array(), 0, 16) == buf.getInt(16)) {
      return new Position(buf.getLong(0), buf.getLong(8));
    }
    LOG.warn("Loki spool ack file is damaged; replaying every spooled entry (some may be sent twice)", "spool", dir);
    return new Position(first, 0);
  }

  private void writeAck(Position p) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(ACK_BYTES);
    buf.putLong(0, p.segment).putLong(8, p.offset);
    buf.putInt(16, codec.crc(buf.array(), 0, 16));
    while (buf.hasRemaining()) {
      ackChannel.write(buf, buf.position());
    }
    ackChannel.force(false);
  }

  /** Counts unacknowledged records; a torn or corrupt tail is cut off (a crash mid-append). */
  private int countAndRepair() throws IOException {
    int count = 0;
    ArrayDeque<Long> ids = new ArrayDeque<>(segmentSizes.tailMap(acked.segment, true).keySet());
    for (long id : ids) {
      long size = segmentSizes.get(id);
      long offset = id == acked.segment ? acked.offset : 0;
      try (FileChannel channel = FileChannel.open(segmentPath(id), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        while (offset < size) {
          ByteBuffer record = readRecord(channel, offset, size);
          if (record == null) {
            corrupt++;
            LOG.warn("Loki spool segment has a torn or corrupt record; cutting it off there",
                "segment", segmentPath(id), "offset", offset, "bytes_lost", size - offset);
            channel.truncate(offset);
            totalBytes -= size - offset;
            segmentSizes.put(id, offset);
            break;
          }
          offset += SpoolRecord.HEADER + record.remaining();
          count++;
        }
      }
    }
    return count;
  }

  /** The payload at {@code offset}, CRC-checked, or null if torn or corrupt; valid until the next read. */
  private ByteBuffer readRecord(FileChannel channel, long offset, long size) throws IOException {
    if (size - offset < SpoolRecord.HEADER) {
      return null;
    }
    header.clear();
    readFully(channel, header, offset);
    int length = header.getInt(0);
    int crc = header.getInt(4);
    if (length < 0 || length > SpoolRecord.MAX_PAYLOAD || offset + SpoolRecord.HEADER + length > size) {
      return null;
    }
    if (payload.capacity() < length) {
      payload = ByteBuffer.allocate(Math.max(length, 2 * payload.capacity()));
    }
    payload.clear().limit(length);
    readFully(channel, payload, offset + SpoolRecord.HEADER);
    if (codec.crc(payload.array(), 0, length) != crc) {
      return null;
    }
    payload.flip();
    return payload;
  }

  private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
    while (buf.hasRemaining()) {
      int n = channel.read(buf, position + buf.position());
      if (n < 0) {
        throw new IOException("unexpected end of spool segment");
      }
    }
  }

  private void openWriter(long id) throws IOException {
    writer = FileChannel.open(segmentPath(id), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    writerSegment = id;
    segmentSizes.putIfAbsent(id, writer.size());
  }

  private void dropBefore(long segment) throws IOException {
    while (!segmentSizes.isEmpty() && segmentSizes.firstKey() < segment) {
      long id = segmentSizes.firstKey();
      totalBytes -= segmentSizes.remove(id);
      Files.deleteIfExists(segmentPath(id));
    }
  }

  private Path segmentPath(long id) {
    return dir.resolve(String.format("%s%020d%s", PREFIX, id, SUFFIX));
  }
}
