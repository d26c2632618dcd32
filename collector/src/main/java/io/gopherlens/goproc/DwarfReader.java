package io.gopherlens.goproc;

import static io.gopherlens.goproc.DwarfConstants.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntPredicate;

/**
 * Struct layouts and global variable addresses from the DWARF 4/5 that Go's linker writes
 * (.debug_info, .debug_abbrev, and .debug_str/.debug_line_str/.debug_str_offsets/.debug_addr
 * when a unit refers to them), compressed or not.
 *
 * <p>Opening decompresses the sections and walks every entry once to index struct types and
 * package-level variables by name; lookups then decode only the entries they need. Instances are
 * immutable and thread-safe. Every method throws only {@link GoBinaryException}: lengths,
 * offsets and references are checked before use, so corrupt input fails with a message instead
 * of an out-of-range read or a runaway loop.
 */
public final class DwarfReader {
  // Go's type chains are typedef -> struct or pointer; this bounds loops in corrupt data.
  private static final int MAX_TYPE_CHAIN = 32;
  private static final IntPredicate INDEXED = tag -> tag == TAG_STRUCTURE_TYPE || tag == TAG_VARIABLE;
  private static final IntPredicate ALL = tag -> true;

  private final DwarfSections sections;
  private final List<DwarfUnit> units;
  private final long[] strOffsetsBases;
  private final Map<Long, DwarfAbbrevs> abbrevs;
  private final Map<String, Long> structs;
  private final Map<String, Long> variables;
  private final int version;

  private DwarfReader(DwarfSections sections, List<DwarfUnit> units, long[] strOffsetsBases,
      Map<Long, DwarfAbbrevs> abbrevs, Map<String, Long> structs, Map<String, Long> variables) {
    this.sections = sections;
    this.units = units;
    this.strOffsetsBases = strOffsetsBases;
    this.abbrevs = abbrevs;
    this.structs = structs;
    this.variables = variables;
    this.version = units.stream().mapToInt(DwarfUnit::version).max().orElse(0);
  }

  /** The binary's DWARF, or empty if it has none (built with -ldflags=-w, or stripped). */
  public static Optional<DwarfReader> open(ElfFile elf) {
    return guard(elf.source(), () -> DwarfSections.read(elf).map(DwarfReader::parse));
  }

  /** Indexes already located (and decompressed) sections; the fuzz tests start here. */
  static DwarfReader parse(DwarfSections s) {
    List<DwarfUnit> units = DwarfUnit.parseAll(s.info);
    long[] strBases = new long[units.size()];
    Map<Long, DwarfAbbrevs> abbrevs = new HashMap<>();
    Map<String, Long> structs = new HashMap<>();
    Map<String, Long> variables = new HashMap<>();
    DwarfDieReader.Entry e = new DwarfDieReader.Entry();
    for (int i = 0; i < units.size(); i++) {
      DwarfUnit u = units.get(i);
      DwarfAbbrevs table = abbrevs.computeIfAbsent(u.abbrevOffset(), off -> DwarfAbbrevs.parse(s.abbrev, off));
      DwarfCursor c = new DwarfCursor(s.info, u.diesStart());
      strBases[i] = -1;
      if (!c.before(u.end()) || !new DwarfDieReader(s, u, table, -1).read(c, e, tag -> false) || !e.hasChildren) {
        continue;
      }
      // The unit entry carries the bases that strx and addrx forms of its children need.
      strBases[i] = e.strOffsetsBase;
      long addrBase = e.addrBase;
      DwarfDieReader r = new DwarfDieReader(s, u, table, e.strOffsetsBase);
      int depth = 1;
      while (depth > 0 && c.before(u.end())) {
        if (!r.read(c, e, INDEXED)) {
          depth--;
          continue;
        }
        if (e.tag == TAG_STRUCTURE_TYPE && e.name != null && e.byteSize >= 0) {
          structs.putIfAbsent(e.name, e.offset);
        } else if (e.tag == TAG_VARIABLE && depth == 1 && e.name != null && e.location != null) {
          // Package-level variables only: locals sit deeper and live in registers or frames.
          OptionalLong addr = address(s, u, addrBase, e.location);
          if (addr.isPresent()) {
            variables.putIfAbsent(e.name, addr.getAsLong());
          }
        }
        if (e.hasChildren) {
          depth++;
        }
      }
    }
    return new DwarfReader(s, List.copyOf(units), strBases, Map.copyOf(abbrevs), Map.copyOf(structs),
        Map.copyOf(variables));
  }

  /** Highest DWARF version among the units: 4 from Go 1.19 to 1.24, 5 from Go 1.27 (measured). */
  public int version() {
    return version;
  }

  /** How .debug_info was stored: "zlib (SHF_COMPRESSED)", "zlib (.zdebug)" or "none". */
  public String compression() {
    return sections.compression;
  }

  /**
   * The struct type with this Go name, e.g. {@code runtime.gcControllerState}. Generic
   * instantiations carry their type arguments in the name, as the compiler spells them.
   */
  public Optional<DwarfStruct> struct(String name) {
    Long at = structs.get(name);
    if (at == null) {
      return Optional.empty();
    }
    return guard(sections.info.source(), () -> Optional.of(readStruct(name, at)));
  }

  /** Link-time address of a package-level variable, e.g. {@code runtime.memstats}. */
  public OptionalLong variableAddress(String name) {
    Long addr = variables.get(name);
    return addr == null ? OptionalLong.empty() : OptionalLong.of(addr);
  }

  private DwarfStruct readStruct(String name, long at) {
    int ui = unitIndex(at);
    DwarfDieReader r = reader(ui);
    DwarfCursor c = new DwarfCursor(sections.info, at);
    DwarfDieReader.Entry e = new DwarfDieReader.Entry();
    r.read(c, e, ALL);
    long size = e.byteSize;
    List<DwarfMember> members = new ArrayList<>();
    int depth = e.hasChildren ? 1 : 0;
    while (depth > 0 && c.before(r.unit().end())) {
      if (!r.read(c, e, ALL)) {
        depth--;
        continue;
      }
      if (depth == 1 && e.tag == TAG_MEMBER) {
        members.add(member(name, e));
      }
      if (e.hasChildren) {
        depth++;
      }
    }
    return new DwarfStruct(name, size, Collections.unmodifiableList(members));
  }

  private DwarfMember member(String structName, DwarfDieReader.Entry m) {
    String name = m.name == null ? "" : m.name;
    if (m.memberOffset < 0) {
      throw sections.info.corrupt("member '" + name + "' of " + structName + " at 0x" + Long.toHexString(m.offset)
          + " has no constant DW_AT_data_member_location");
    }
    long offset = m.memberOffset;
    long ref = m.typeRef;
    String typeName = "";
    long size = DwarfMember.UNKNOWN_SIZE;
    DwarfDieReader.Entry t = new DwarfDieReader.Entry();
    for (int hop = 0; hop < MAX_TYPE_CHAIN && ref >= 0; hop++) {
      int ui = unitIndex(ref);
      DwarfDieReader r = reader(ui);
      if (!r.read(new DwarfCursor(sections.info, ref), t, hop == 0 ? ALL : tag -> false)) {
        throw sections.info.corrupt("type reference 0x" + Long.toHexString(ref) + " of member '" + name + "' of "
            + structName + " points at a null entry");
      }
      if (hop == 0 && t.name != null) {
        typeName = t.name;
      }
      if (t.byteSize >= 0) {
        size = t.byteSize;
        break;
      }
      if (t.tag == TAG_POINTER_TYPE || t.tag == TAG_REFERENCE_TYPE) {
        size = r.unit().addressSize(); // Go writes no DW_AT_byte_size on pointer types
        break;
      }
      if (t.tag != TAG_TYPEDEF && t.tag != TAG_CONST_TYPE && t.tag != TAG_VOLATILE_TYPE) {
        break;
      }
      ref = t.typeRef;
    }
    return new DwarfMember(name, offset, size, typeName);
  }

  private DwarfDieReader reader(int unitIndex) {
    DwarfUnit u = units.get(unitIndex);
    return new DwarfDieReader(sections, u, abbrevs.get(u.abbrevOffset()), strOffsetsBases[unitIndex]);
  }

  /** The unit whose entries contain {@code dieOffset}; references across units are legal. */
  private int unitIndex(long dieOffset) {
    int lo = 0;
    int hi = units.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      DwarfUnit u = units.get(mid);
      if (dieOffset < u.offset()) {
        hi = mid - 1;
      } else if (dieOffset >= u.end()) {
        lo = mid + 1;
      } else if (u.holdsDie(dieOffset)) {
        return mid;
      } else {
        break;
      }
    }
    throw sections.info.corrupt("reference to 0x" + Long.toHexString(dieOffset) + " does not point at an entry of"
        + " any unit");
  }

  /**
   * The address a location expression names, if it is exactly one DW_OP_addr or DW_OP_addrx
   * (what Go writes for package-level variables). Anything else (TLS, registers, lists) is not
   * a fixed address.
   */
  private static OptionalLong address(DwarfSections s, DwarfUnit u, long addrBase, ByteView expr) {
    if (expr.size() == 0) {
      return OptionalLong.empty();
    }
    DwarfCursor c = new DwarfCursor(expr, 1);
    int op = expr.u8(0);
    if (op == OP_ADDR) {
      if (expr.size() != 1 + u.addressSize()) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(c.unsigned(u.addressSize()));
    }
    if (op == OP_ADDRX || op == OP_GNU_ADDR_INDEX) {
      long index = c.uleb();
      // DW_OP_addrx needs the unit's DW_AT_addr_base; the GNU split-DWARF op predates it.
      if (c.pos() != expr.size() || s.addr.isEmpty() || (addrBase < 0 && op == OP_ADDRX)) {
        return OptionalLong.empty();
      }
      ByteView table = s.addr.get();
      long base = Math.max(0, addrBase);
      if (index < 0 || index > table.size() / u.addressSize()) {
        throw table.corrupt("address index " + index + " is outside .debug_addr");
      }
      return OptionalLong.of(new DwarfCursor(table, base + index * u.addressSize()).unsigned(u.addressSize()));
    }
    return OptionalLong.empty();
  }

  private interface Read<T> {
    T get();
  }

  /** A fault on the memory-mapped file (truncated after mapping) surfaces as InternalError. */
  private static <T> T guard(String source, Read<T> read) {
    try {
      return read.get();
    } catch (InternalError e) {
      throw GoBinaryException.io(source, e);
    }
  }
}
