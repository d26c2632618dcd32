package io.gopherlens.gomaps;

/**
 * A map header or directory did not read as a live map of this kind: memory unreadable (process
 * gone, memory unmapped) or values no live map can have, i.e. the map was freed and its memory
 * reused, or the address never was a map.
 */
public final class MapReadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the read failed, for the counter of maps no longer tracked. */
  public enum Reason {
    UNREADABLE,
    INCONSISTENT
  }

  private final Reason reason;

  public MapReadException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
