package io.gopherlens.goproc;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One abbreviation table of .debug_abbrev: for each code, a DIE's tag, whether it has
 * children, and its attribute/form pairs. Go's linker writes one table shared by all units
 * with a few dozen codes numbered from 1, so codes below {@link #DENSE} sit in an array.
 */
final class DwarfAbbrevs {
  /** One abbreviation; {@code implicitConst[i]} holds the value of a DW_FORM_implicit_const. */
  record Abbrev(int tag, boolean hasChildren, int[] attrs, int[] forms, long[] implicitConst) {}

  private static final int DENSE = 1024;

  private final Abbrev[] dense = new Abbrev[DENSE];
  private final Map<Long, Abbrev> sparse = new HashMap<>();

  private DwarfAbbrevs() {}

  static DwarfAbbrevs parse(ByteView section, long offset) {
    if (offset < 0 || offset >= section.size()) {
      throw section.corrupt("abbreviation table offset 0x" + Long.toHexString(offset) + " is outside its "
          + section.size() + "-byte range");
    }
    DwarfAbbrevs table = new DwarfAbbrevs();
    DwarfCursor c = new DwarfCursor(section, offset);
    int[] attrs = new int[16];
    int[] forms = new int[16];
    long[] consts = new long[16];
    // A table without its terminating 0 simply ends with the section.
    while (c.before(section.size())) {
      long code = c.uleb();
      if (code == 0) {
        break;
      }
      int tag = clampToInt(c.uleb());
      boolean children = c.u8() != 0;
      int n = 0;
      while (true) {
        long attr = c.uleb();
        long form = c.uleb();
        if (attr == 0 && form == 0) {
          break;
        }
        long implicit = form == DwarfConstants.FORM_IMPLICIT_CONST ? c.sleb() : 0;
        if (n == attrs.length) {
          attrs = Arrays.copyOf(attrs, n * 2);
          forms = Arrays.copyOf(forms, n * 2);
          consts = Arrays.copyOf(consts, n * 2);
        }
        attrs[n] = clampToInt(attr);
        forms[n] = clampToInt(form);
        consts[n] = implicit;
        n++;
      }
      table.putIfAbsent(code, new Abbrev(tag, children, Arrays.copyOf(attrs, n), Arrays.copyOf(forms, n),
          Arrays.copyOf(consts, n)));
    }
    return table;
  }

  /** The abbreviation for {@code code}, or null if the table has none. */
  Abbrev get(long code) {
    if (code > 0 && code < DENSE) {
      return dense[(int) code];
    }
    return sparse.get(code);
  }

  private void putIfAbsent(long code, Abbrev a) {
    if (code > 0 && code < DENSE) {
      if (dense[(int) code] == null) {
        dense[(int) code] = a;
      }
    } else {
      sparse.putIfAbsent(code, a);
    }
  }

  // Tags, attributes and forms are small numbers; anything huge is unknown either way.
  private static int clampToInt(long v) {
    return v < 0 || v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
  }
}
