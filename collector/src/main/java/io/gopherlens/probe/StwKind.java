package io.gopherlens.probe;

/**
 * Which stop-the-world a pause was. Go >= 1.21 passes a stwReason (runtime/proc.go:
 * stwGCMarkTerm = 1, stwGCSweepTerm = 2); older runtimes pass none, so the GC function seen
 * inside the pause decides (enum gl_gc_marker in native/include/gc.h).
 */
public enum StwKind {
  SWEEP_TERMINATION("sweep_termination"),
  MARK_TERMINATION("mark_termination"),
  OTHER("other");

  private static final int REASON_MARK_TERM = 1;
  private static final int REASON_SWEEP_TERM = 2;
  private static final int REASON_UNKNOWN = 0xff;
  private static final int MARKER_SWEEP_TERMINATION = 1;
  private static final int MARKER_MARK_TERMINATION = 2;

  private final String label;

  StwKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean isGc() {
    return this != OTHER;
  }

  static StwKind of(int reason, int marker) {
    if (reason != REASON_UNKNOWN) {
      return reason == REASON_MARK_TERM ? MARK_TERMINATION : reason == REASON_SWEEP_TERM ? SWEEP_TERMINATION : OTHER;
    }
    return marker == MARKER_MARK_TERMINATION
        ? MARK_TERMINATION
        : marker == MARKER_SWEEP_TERMINATION ? SWEEP_TERMINATION : OTHER;
  }
}
