package io.gopherlens.export.loki;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The queue without a spool: bounded by entry count, lost at exit. */
final class MemoryQueue implements EntryQueue {
  private final ArrayDeque<LokiEntry> entries = new ArrayDeque<>();
  private final int limit;

  MemoryQueue(int limit) {
    this.limit = limit;
  }

  @Override
  public synchronized boolean offer(LokiEntry entry) {
    if (entries.size() >= limit) {
      return false;
    }
    entries.add(entry);
    return true;
  }

  @Override
  public synchronized List<LokiEntry> peek(int max) {
    List<LokiEntry> batch = new ArrayList<>(Math.min(max, entries.size()));
    Iterator<LokiEntry> it = entries.iterator();
    while (batch.size() < max && it.hasNext()) {
      batch.add(it.next());
    }
    return batch;
  }

  @Override
  public synchronized void ack(int count) {
    for (int i = 0; i < count; i++) {
      entries.poll();
    }
  }

  @Override
  public synchronized int size() {
    return entries.size();
  }

  @Override
  public void sync() {}

  @Override
  public synchronized void close() {}
}
