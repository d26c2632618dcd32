package io.gopherlens.export.prometheus;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throttles the export path's warnings: a problem in one metric recurs on every scrape, so each
 * distinct problem is logged once per process. Bounded; past the limit, new problems are not logged
 * rather than grow memory.
 */
final class WarnOnce {
  private static final int MAX_KEYS = 1024;
  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

  private WarnOnce() {}

  /** True the first time {@code key} is seen. */
  static boolean first(String key) {
    return SEEN.size() < MAX_KEYS && SEEN.add(key);
  }
}
