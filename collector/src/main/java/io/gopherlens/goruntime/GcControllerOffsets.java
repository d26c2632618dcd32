package io.gopherlens.goruntime;

import io.gopherlens.goproc.GoVersion;
import java.util.Optional;

/**
 * Offsets of the runtime.gcControllerState fields gopherlens reads, per Go
 * version, read from the DWARF of real builds (gdb: print &'runtime.gcController'.heapInUse)
 * and checked by HeapGroundTruthTest against runtime.ReadMemStats on every installed
 * toolchain. Go 1.20 added fields before them; 1.22 through 1.27 agree.
 */
final class GcControllerOffsets {
  private static final HeapSampler.Offsets GO_1_19 = new HeapSampler.Offsets(304, 312, 320, 0, 8, 104);
  private static final HeapSampler.Offsets GO_1_22_TO_1_27 = new HeapSampler.Offsets(272, 280, 288, 0, 8, 72);

  private GcControllerOffsets() {}

  /** Empty for versions not measured: reading a guessed offset would report wrong numbers. */
  static Optional<HeapSampler.Offsets> forVersion(GoVersion v) {
    if (v.major() != 1) {
      return Optional.empty();
    }
    if (v.minor() == 19) {
      return Optional.of(GO_1_19);
    }
    if (v.minor() >= 22 && v.minor() <= 27) {
      return Optional.of(GO_1_22_TO_1_27);
    }
    return Optional.empty();
  }
}
