package io.gopherlens.export.loki;

import java.util.List;

/**
 * Entries accepted but not yet acknowledged by Loki, oldest first. The sender peeks a batch, and
 * acknowledges it once Loki answered 2xx (or rejected it for good); until then the batch stays
 * queued, so a failed send loses nothing. Implementations are thread-safe.
 */
interface EntryQueue extends AutoCloseable {
  /** Queues one entry; false when the queue is at its limit (the caller counts the drop). */
  boolean offer(LokiEntry entry);

  /** Up to {@code max} oldest unacknowledged entries, left in the queue. */
  List<LokiEntry> peek(int max);

  /** Removes the entries the last {@link #peek} returned. */
  void ack(int count);

  int size();

  /** Makes queued entries durable as far as the implementation promises (spool: fsync). */
  void sync();

  @Override
  void close();
}
