package io.gopherlens.goproc;

import static io.gopherlens.goproc.DwarfConstants.*;

import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Decodes one debugging information entry (DIE) of one unit: every attribute is consumed so
 * the cursor lands on the next entry, and the few attributes the reader uses are kept in an
 * {@link Entry}. Strings are only materialised when the caller asks for names: the index pass
 * walks every entry of the binary and must not build a String for each.
 */
final class DwarfDieReader {
  /** The decoded attributes of one entry; -1 (or null) where the entry has no such value. */
  static final class Entry {
    long offset;
    int tag;
    boolean hasChildren;
    String name;
    long byteSize;
    long typeRef;
    long memberOffset;
    ByteView location;
    long strOffsetsBase;
    long addrBase;

    void clear(long at) {
      offset = at;
      tag = 0;
      hasChildren = false;
      name = null;
      byteSize = -1;
      typeRef = -1;
      memberOffset = -1;
      location = null;
      strOffsetsBase = -1;
      addrBase = -1;
    }
  }

  /** What a form's value is, so that one attribute can be stored whatever form encoded it. */
  private enum Kind { CONST, SIGNED, REF, BLOCK, OFFSET, STRING, NONE }

  private static final int MAX_INDIRECTIONS = 4;

  private final DwarfSections sections;
  private final DwarfUnit unit;
  private final DwarfAbbrevs abbrevs;
  private final long strOffsetsBase;
  private final String source;
  // Result of the last readForm call, to avoid an allocation per attribute.
  private Kind kind;
  private long value;
  private ByteView block;
  private long stringAt;
  private int stringForm;

  DwarfDieReader(DwarfSections sections, DwarfUnit unit, DwarfAbbrevs abbrevs, long strOffsetsBase) {
    this.sections = sections;
    this.unit = unit;
    this.abbrevs = abbrevs;
    this.strOffsetsBase = strOffsetsBase;
    this.source = sections.info.source();
  }

  DwarfUnit unit() {
    return unit;
  }

  /**
   * Reads the entry at the cursor into {@code e}, with its name if {@code wantName} accepts its
   * tag. Returns false for a null entry (abbreviation code 0, the end of a sibling list).
   */
  boolean read(DwarfCursor c, Entry e, IntPredicate wantName) {
    e.clear(c.pos());
    long code = c.uleb();
    if (code == 0) {
      return false;
    }
    DwarfAbbrevs.Abbrev a = abbrevs.get(code);
    if (a == null) {
      throw sections.info.corrupt("entry at 0x" + Long.toHexString(e.offset) + " uses abbreviation code " + code
          + ", which the unit's table at 0x" + Long.toHexString(unit.abbrevOffset()) + " does not define");
    }
    e.tag = a.tag();
    e.hasChildren = a.hasChildren();
    boolean names = wantName.test(a.tag());
    int[] attrs = a.attrs();
    int[] forms = a.forms();
    for (int i = 0; i < attrs.length; i++) {
      readForm(c, forms[i], a.implicitConst()[i], 0);
      store(e, attrs[i], names);
    }
    return true;
  }

  private void store(Entry e, int attr, boolean names) {
    switch (attr) {
      case AT_NAME:
        if (names && kind == Kind.STRING) {
          e.name = string().orElse(null);
        }
        break;
      case AT_BYTE_SIZE:
        e.byteSize = constant();
        break;
      case AT_TYPE:
        e.typeRef = kind == Kind.REF ? value : -1;
        break;
      case AT_DATA_MEMBER_LOCATION:
        e.memberOffset = kind == Kind.BLOCK ? plusUconst(block) : constant();
        break;
      case AT_LOCATION:
        e.location = kind == Kind.BLOCK ? block : null;
        break;
      case AT_STR_OFFSETS_BASE:
        e.strOffsetsBase = kind == Kind.OFFSET || kind == Kind.CONST ? value : -1;
        break;
      case AT_ADDR_BASE:
        e.addrBase = kind == Kind.OFFSET || kind == Kind.CONST ? value : -1;
        break;
      default:
        break;
    }
  }

  /** A non-negative constant, or -1: negative sizes and offsets mean nothing here. */
  private long constant() {
    return (kind == Kind.CONST || kind == Kind.SIGNED) && value >= 0 ? value : -1;
  }

  /** DWARF 2 style member location: the expression {@code DW_OP_plus_uconst N}. */
  private static long plusUconst(ByteView expr) {
    if (expr.size() < 2 || expr.u8(0) != OP_PLUS_UCONST) {
      return -1;
    }
    DwarfCursor c = new DwarfCursor(expr, 1);
    long v = c.uleb();
    return c.pos() == expr.size() && v >= 0 ? v : -1;
  }

  private void readForm(DwarfCursor c, int form, long implicit, int indirections) {
    kind = Kind.CONST;
    switch (form) {
      case FORM_ADDR:
        value = c.unsigned(unit.addressSize());
        break;
      case FORM_DATA1:
      case FORM_FLAG:
      case FORM_ADDRX1:
        value = c.u8();
        break;
      case FORM_DATA2:
      case FORM_ADDRX2:
        value = c.u16();
        break;
      case FORM_ADDRX3:
        value = c.u24();
        break;
      case FORM_DATA4:
      case FORM_ADDRX4:
        value = c.u32();
        break;
      case FORM_DATA8:
        value = c.u64();
        break;
      case FORM_STRX1:
        value = c.u8();
        kind = Kind.STRING;
        break;
      case FORM_STRX2:
        value = c.u16();
        kind = Kind.STRING;
        break;
      case FORM_STRX3:
        value = c.u24();
        kind = Kind.STRING;
        break;
      case FORM_STRX4:
        value = c.u32();
        kind = Kind.STRING;
        break;
      case FORM_REF_SUP4:
        value = c.u32();
        kind = Kind.NONE; // supplementary object files are not followed
        break;
      case FORM_REF_SIG8:
      case FORM_REF_SUP8:
        value = c.u64();
        kind = Kind.NONE; // type units and supplementary object files are not followed
        break;
      case FORM_DATA16:
        c.skip(16);
        kind = Kind.NONE;
        break;
      case FORM_SDATA:
        value = c.sleb();
        kind = Kind.SIGNED;
        break;
      case FORM_UDATA:
      case FORM_ADDRX:
      case FORM_GNU_ADDR_INDEX:
      case FORM_LOCLISTX:
      case FORM_RNGLISTX:
        value = c.uleb();
        kind = form == FORM_LOCLISTX || form == FORM_RNGLISTX ? Kind.OFFSET : Kind.CONST;
        break;
      case FORM_IMPLICIT_CONST:
        value = implicit;
        kind = Kind.SIGNED;
        break;
      case FORM_FLAG_PRESENT:
        value = 1;
        break;
      case FORM_STRING:
        stringAt = c.pos();
        c.skipCString();
        kind = Kind.STRING;
        break;
      case FORM_STRP:
      case FORM_LINE_STRP:
        value = c.unsigned(unit.offsetSize());
        kind = Kind.STRING;
        break;
      case FORM_STRP_SUP:
      case FORM_GNU_STRP_ALT:
      case FORM_GNU_REF_ALT:
        value = c.unsigned(unit.offsetSize());
        kind = Kind.NONE;
        break;
      case FORM_STRX:
      case FORM_GNU_STR_INDEX:
        value = c.uleb();
        kind = Kind.STRING;
        break;
      case FORM_REF_ADDR:
        // DWARF 2 sized this like an address; later versions like an offset.
        value = c.unsigned(unit.version() <= 2 ? unit.addressSize() : unit.offsetSize());
        kind = Kind.REF;
        break;
      case FORM_REF1:
        value = unit.offset() + c.u8();
        kind = Kind.REF;
        break;
      case FORM_REF2:
        value = unit.offset() + c.u16();
        kind = Kind.REF;
        break;
      case FORM_REF4:
        value = unit.offset() + c.u32();
        kind = Kind.REF;
        break;
      case FORM_REF8:
        value = unit.offset() + c.u64();
        kind = Kind.REF;
        break;
      case FORM_REF_UDATA:
        value = unit.offset() + c.uleb();
        kind = Kind.REF;
        break;
      case FORM_SEC_OFFSET:
        value = c.unsigned(unit.offsetSize());
        kind = Kind.OFFSET;
        break;
      case FORM_BLOCK1:
        block = c.block(c.u8());
        kind = Kind.BLOCK;
        break;
      case FORM_BLOCK2:
        block = c.block(c.u16());
        kind = Kind.BLOCK;
        break;
      case FORM_BLOCK4:
        block = c.block(c.u32());
        kind = Kind.BLOCK;
        break;
      case FORM_BLOCK:
      case FORM_EXPRLOC:
        block = c.block(c.uleb());
        kind = Kind.BLOCK;
        break;
      case FORM_INDIRECT:
        if (indirections >= MAX_INDIRECTIONS) {
          throw sections.info.corrupt("DW_FORM_indirect chain at 0x" + Long.toHexString(c.pos()) + " is too long");
        }
        long actual = c.uleb();
        readForm(c, actual > Integer.MAX_VALUE || actual < 0 ? Integer.MAX_VALUE : (int) actual, 0,
            indirections + 1);
        return;
      default:
        throw sections.info.corrupt("attribute form 0x" + Integer.toHexString(form) + " at 0x"
            + Long.toHexString(c.pos()) + " is not a DWARF 2-5 form; the entry cannot be skipped");
    }
    stringForm = form;
  }

  /** The string of the last STRING-kind form, if the section it lives in is present. */
  private Optional<String> string() {
    switch (stringForm) {
      case FORM_STRING:
        return Optional.of(sections.info.cString(stringAt, DwarfCursor.MAX_STRING));
      case FORM_STRP:
        return sections.str.map(s -> cString(s, value));
      case FORM_LINE_STRP:
        return sections.lineStr.map(s -> cString(s, value));
      default: // the strx forms
        if (sections.strOffsets.isEmpty() || strOffsetsBase < 0 || sections.str.isEmpty()) {
          return Optional.empty();
        }
        ByteView offsets = sections.strOffsets.get();
        long at = strOffsetsBase + value * unit.offsetSize();
        if (value < 0 || value > offsets.size() || at < 0) {
          throw offsets.corrupt("string index " + value + " is outside .debug_str_offsets");
        }
        long off = new DwarfCursor(offsets, at).unsigned(unit.offsetSize());
        return Optional.of(cString(sections.str.get(), off));
    }
  }

  private String cString(ByteView section, long off) {
    if (off < 0 || off >= section.size()) {
      throw section.corrupt("string offset 0x" + Long.toHexString(off) + " is outside the section (" + source + ")");
    }
    return section.cString(off, DwarfCursor.MAX_STRING);
  }
}
