package io.gopherlens.goproc;

import java.util.List;
import java.util.Optional;

/**
 * Chooses the runtime layout of a Go binary (DESIGN.md decision 4): the binary's own DWARF when
 * it has usable DWARF, otherwise the table entry for its Go minor version, otherwise an
 * "unsupported" result that names the nearest versions the table knows.
 */
public final class RuntimeLayouts {
  private RuntimeLayouts() {}

  /**
   * Never throws for bad input: an unreadable DWARF falls back to the table, with the reason.
   * Worked out once per binary (DWARF takes tens of milliseconds).
   */
  public static RuntimeLayoutResult forBinary(GoBinary binary) {
    return binary.runtimeLayout(b -> forBinary(b, RuntimeLayoutTable.get()));
  }

  static RuntimeLayoutResult forBinary(GoBinary binary, RuntimeLayoutTable table) {
    String maps = binary.mapImplementation();
    String dwarfProblem;
    try {
      Optional<DwarfReader> dwarf = DwarfReader.open(binary.elf());
      if (dwarf.isPresent()) {
        return RuntimeLayoutResult.fromDwarf(RuntimeLayoutDwarf.extract(dwarf.get(), maps), dwarf.get());
      }
      dwarfProblem = "no DWARF";
    } catch (GoBinaryException e) {
      dwarfProblem = "DWARF unreadable (" + e.getMessage() + ")";
    } catch (RuntimeLayoutDwarf.Mismatch e) {
      dwarfProblem = "DWARF does not fit the layout (" + e.getMessage() + ")";
    }
    Optional<GoVersion> version = binary.version();
    if (version.isEmpty()) {
      return RuntimeLayoutResult.unsupported(dwarfProblem + " and no Go version in the build info of "
          + binary.elf().source() + "; the per-version table cannot be used");
    }
    GoVersion v = version.get();
    String key = "go" + v.major() + "." + v.minor();
    Optional<RuntimeLayoutTable.Entry> entry = table.entry(v);
    if (entry.isPresent()) {
      RuntimeLayout layout = entry.get().layout(maps);
      String detail = dwarfProblem + "; offsets from the table for " + key + ", checked against DWARF of real builds";
      if (layout.classicMaps().isEmpty() && layout.swissMaps().isEmpty()) {
        detail += "; the table has no " + maps + " map layout for " + key + ", so maps are not tracked";
      }
      return RuntimeLayoutResult.fromTable(layout, key, detail);
    }
    List<String> nearest = table.nearest(v);
    return RuntimeLayoutResult.unsupported("unsupported Go version " + v.raw() + ": " + dwarfProblem
        + " and the runtime layout table covers " + String.join(", ", table.versions())
        + (nearest.isEmpty() ? "" : " (nearest: " + String.join(" and ", nearest) + ")")
        + "; rebuild without -ldflags=-w to keep DWARF, or add " + key
        + " to " + RuntimeLayoutTable.RESOURCE + " (RuntimeLayoutTableTest prints the entry)");
  }
}
