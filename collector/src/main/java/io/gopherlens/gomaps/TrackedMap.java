package io.gopherlens.gomaps;

/**
 * A map the tracker follows, as last read.
 *
 * @param site where the map grew ("main.(*Cache).Put cache.go:42"), or how it was found
 * @param firstSeenMillis wall-clock time the tracker first read it (its age in reports)
 * @param state the latest read
 */
public record TrackedMap(int pid, long address, String implementation, String site, long firstSeenMillis,
    MapState state) {}
