package io.gopherlens.probe;

/** runtime.gcTriggerKind: why a GC cycle was requested (runtime/mgc.go). */
public enum GcTrigger {
  HEAP,
  TIME,
  CYCLE,
  UNKNOWN;

  public static GcTrigger of(long kind) {
    return kind >= 0 && kind < 3 ? values()[(int) kind] : UNKNOWN;
  }

  /** The name operators know: runtime.GC() is an explicit cycle. */
  public String label() {
    return switch (this) {
      case HEAP -> "heap";
      case TIME -> "time";
      case CYCLE -> "explicit";
      case UNKNOWN -> "unknown";
    };
  }
}
