package io.gopherlens.goproc;

/**
 * Where a pc comes from: the function that contains it, and the file and line the pc tables
 * record (the inlined callee's, for inlined code). {@code line} is -1 and {@code file} empty
 * when the tables have no entry.
 */
public record SourceLocation(String function, String file, int line) {
  @Override
  public String toString() {
    return function + " " + file + ":" + line;
  }
}
