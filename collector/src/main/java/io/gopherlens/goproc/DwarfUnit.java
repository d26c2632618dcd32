package io.gopherlens.goproc;

import java.util.ArrayList;
import java.util.List;

/**
 * One unit header of .debug_info (DWARF 2 to 5). {@code diesStart} and {@code end} bound the
 * unit's entries; {@code offsetSize} is 4 for 32-bit DWARF (what Go writes) and 8 for 64-bit.
 */
record DwarfUnit(long offset, long diesStart, long end, int version, int offsetSize, int addressSize,
    long abbrevOffset) {

  /** Reads every unit header; a header that overruns the section is corruption. */
  static List<DwarfUnit> parseAll(ByteView info) {
    List<DwarfUnit> units = new ArrayList<>();
    DwarfCursor c = new DwarfCursor(info, 0);
    while (c.before(info.size())) {
      units.add(parse(c, info));
    }
    return units;
  }

  private static DwarfUnit parse(DwarfCursor c, ByteView info) {
    long start = c.pos();
    long length = c.u32();
    int offsetSize = 4;
    if (length == 0xffffffffL) {
      length = c.u64();
      offsetSize = 8;
    } else if (length >= 0xfffffff0L) {
      throw info.corrupt("reserved unit length 0x" + Long.toHexString(length) + " at 0x" + Long.toHexString(start));
    }
    long end = c.pos() + length;
    if (length < 0 || !info.contains(c.pos(), length)) {
      throw info.corrupt("unit at 0x" + Long.toHexString(start) + " of " + Long.toUnsignedString(length)
          + " bytes extends past the end of the section");
    }
    int version = c.u16();
    long abbrevOffset;
    int addressSize;
    if (version >= 2 && version <= 4) {
      abbrevOffset = c.unsigned(offsetSize);
      addressSize = c.u8();
    } else if (version == 5) {
      int unitType = c.u8();
      addressSize = c.u8();
      abbrevOffset = c.unsigned(offsetSize);
      switch (unitType) {
        case DwarfConstants.UT_COMPILE:
        case DwarfConstants.UT_PARTIAL:
          break;
        case DwarfConstants.UT_SKELETON:
        case DwarfConstants.UT_SPLIT_COMPILE:
          c.skip(8); // dwo_id
          break;
        case DwarfConstants.UT_TYPE:
        case DwarfConstants.UT_SPLIT_TYPE:
          c.skip(8L + offsetSize); // type signature, type offset
          break;
        default:
          throw info.corrupt("unknown DWARF 5 unit type " + unitType + " at 0x" + Long.toHexString(start));
      }
    } else {
      throw info.corrupt("unit at 0x" + Long.toHexString(start) + " has DWARF version " + version
          + "; versions 2 to 5 are read");
    }
    if (addressSize != 4 && addressSize != 8) {
      throw info.corrupt("unit at 0x" + Long.toHexString(start) + " has address size " + addressSize);
    }
    if (c.pos() > end) {
      throw info.corrupt("unit at 0x" + Long.toHexString(start) + " is shorter than its own header");
    }
    DwarfUnit u = new DwarfUnit(start, c.pos(), end, version, offsetSize, addressSize, abbrevOffset);
    c.seek(end);
    return u;
  }

  boolean holdsDie(long dieOffset) {
    return dieOffset >= diesStart && dieOffset < end;
  }
}
