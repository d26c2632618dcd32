package io.gopherlens.goproc;

/**
 * Where one probe point's BPF program goes in one binary.
 *
 * @param program the BPF program: the point's own, or a fallback for this binary
 * @param fileOffsets one uprobe per offset
 * @param how one line for `inspect` and the log
 */
public record ProbeSites(String program, long[] fileOffsets, String how) {
  static ProbeSites at(String program, long fileOffset, String how) {
    return new ProbeSites(program, new long[] {fileOffset}, how);
  }
}
