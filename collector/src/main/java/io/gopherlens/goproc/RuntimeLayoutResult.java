package io.gopherlens.goproc;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link RuntimeLayouts#forBinary} found for one binary: the layout and where it came from,
 * or why there is none. {@code detail} is one line for logs and the inspect command.
 *
 * @param layout present when {@link #supported()}
 * @param source {@value #DWARF}, {@code table:go1.NN}, or {@value #UNSUPPORTED}
 * @param detail why this source was used (e.g. DWARF was unreadable), or why none could be
 * @param gcController link-time address of {@code runtime.gcController}, when DWARF gives it
 * @param memstats link-time address of {@code runtime.memstats}, when DWARF gives it
 * @param mheap link-time address of {@code runtime.mheap_}, when DWARF gives it. Without DWARF
 *     these are learned at run time from probe receivers (DESIGN.md decision 4).
 */
public record RuntimeLayoutResult(Optional<RuntimeLayout> layout, String source, String detail,
    OptionalLong gcController, OptionalLong memstats, OptionalLong mheap) {
  public static final String DWARF = "dwarf";
  public static final String TABLE_PREFIX = "table:";
  public static final String UNSUPPORTED = "unsupported";

  public boolean supported() {
    return layout.isPresent();
  }

  static RuntimeLayoutResult fromDwarf(RuntimeLayout layout, DwarfReader dwarf) {
    return new RuntimeLayoutResult(Optional.of(layout), DWARF,
        "DWARF " + dwarf.version() + ", compression " + dwarf.compression(),
        dwarf.variableAddress("runtime.gcController"), dwarf.variableAddress("runtime.memstats"),
        dwarf.variableAddress("runtime.mheap_"));
  }

  static RuntimeLayoutResult fromTable(RuntimeLayout layout, String versionKey, String detail) {
    return new RuntimeLayoutResult(Optional.of(layout), TABLE_PREFIX + versionKey, detail, OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty());
  }

  static RuntimeLayoutResult unsupported(String detail) {
    return new RuntimeLayoutResult(Optional.empty(), UNSUPPORTED, detail, OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty());
  }
}
