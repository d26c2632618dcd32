package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded mutations and truncations of real Go DWARF: whatever the damage, the reader and the
 * layout extraction end normally, in GoBinaryException, or (extraction only) in a layout
 * mismatch, and each input is handled quickly. Damage goes where parsers trust numbers: unit
 * headers, abbreviation tables, the first entries of units, compression headers.
 */
class DwarfFuzzTest {
  private static final int SECTION_ITERATIONS = 1_500; // per toolchain, on decompressed sections
  private static final int FILE_ITERATIONS = 250; // per toolchain, on the whole compressed file
  private static final long MAX_NANOS_PER_INPUT = 1_000_000_000L;
  private static final long[] EXTREMES = {0, 1, 0xff, 0xffff, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0xfffffff0L,
      0xfffffffeL, 12, 0x21, 0x1f01};
  private static final List<String> STRUCTS = List.of(RuntimeLayoutDwarf.GC_CONTROLLER, RuntimeLayoutDwarf.MSTATS,
      RuntimeLayoutDwarf.HMAP, RuntimeLayoutDwarf.SWISS_MAP, RuntimeLayoutDwarf.SWISS_TABLE, "runtime.mheap",
      "runtime.g");

  private record Mutation(byte[] array, int at, byte old) {
    void undo() {
      array[at] = old;
    }
  }

  /** GO_1_19: DWARF 4; GO_1_27: DWARF 5 with .debug_addr and addrx forms. */
  @ParameterizedTest
  @EnumSource(value = GoToolchain.class, names = {"GO_1_19", "GO_1_27"})
  void parse_mutatedSections_throwOnlyGoBinaryException(GoToolchain go) {
    DwarfSections real = DwarfSections.read(ElfFile.open(RuntimeLayoutTableTest.spine(go, Variant.DEFAULT)))
        .orElseThrow();
    byte[] info = copy(real.info);
    byte[] abbrev = copy(real.abbrev);
    byte[] addr = real.addr.map(DwarfFuzzTest::copy).orElse(new byte[0]);
    List<Integer> unitStarts = new ArrayList<>();
    DwarfUnit.parseAll(real.info).forEach(u -> unitStarts.add((int) u.offset()));
    Random random = new Random(0xd3a7f0L + go.ordinal());
    Map<String, Integer> outcomes = new TreeMap<>();

    for (int i = 0; i < SECTION_ITERATIONS; i++) {
      List<Mutation> undo = new ArrayList<>();
      StringBuilder what = new StringBuilder();
      int infoLength = info.length;
      int kind = random.nextInt(6);
      switch (kind) {
        case 0 -> { // anywhere in .debug_info
          for (int n = 1 + random.nextInt(8); n > 0; n--) {
            flip(info, random.nextInt(info.length), random, undo, what);
          }
        }
        case 1 -> { // unit headers and the unit entry, where lengths and table offsets live
          int unit = unitStarts.get(random.nextInt(unitStarts.size()));
          int at = Math.min(info.length - 4, unit + random.nextInt(24));
          if (random.nextBoolean()) {
            put32(info, at, EXTREMES[random.nextInt(EXTREMES.length)], undo, what);
          } else {
            flip(info, at, random, undo, what);
          }
        }
        case 2 -> { // the shared abbreviation table: tags, forms, children flags
          for (int n = 1 + random.nextInt(3); n > 0; n--) {
            flip(abbrev, random.nextInt(abbrev.length), random, undo, what);
          }
        }
        case 3 -> { // truncation, at a unit boundary or anywhere
          infoLength = random.nextBoolean() ? random.nextInt(info.length)
              : unitStarts.get(random.nextInt(unitStarts.size())) + random.nextInt(16);
          infoLength = Math.min(infoLength, info.length);
          what.append("truncate .debug_info to ").append(infoLength);
        }
        case 4 -> { // .debug_addr (DWARF 5) or a second helping of info damage
          byte[] target = addr.length > 0 ? addr : info;
          flip(target, random.nextInt(target.length), random, undo, what);
        }
        default -> { // near the runtime types the layout reads
          int unit = unitStarts.get(random.nextInt(unitStarts.size()));
          for (int n = 1 + random.nextInt(4); n > 0; n--) {
            flip(info, Math.min(info.length - 1, unit + random.nextInt(4096)), random, undo, what);
          }
        }
      }
      DwarfSections mutated = new DwarfSections(view(info, infoLength), view(abbrev, abbrev.length), real.str,
          real.lineStr, real.strOffsets, addr.length > 0 ? Optional.of(view(addr, addr.length)) : Optional.empty(),
          real.compression);
      String outcome = exercise(() -> analyse(DwarfReader.parse(mutated)), go + " #" + i + " " + what);
      outcomes.merge(outcome, 1, Integer::sum);
      for (int u = undo.size() - 1; u >= 0; u--) {
        undo.get(u).undo();
      }
    }
    // The damage must be felt (about half the inputs are rejected) without blocking every input.
    assertThat(outcomes.getOrDefault("CORRUPT", 0)).isGreaterThan(SECTION_ITERATIONS / 5);
    assertThat(outcomes.getOrDefault("ok", 0)).isGreaterThan(SECTION_ITERATIONS / 5);
  }

  /** Go 1.27's own DWARF 5, and Go 1.24 linked by ld: gcc units, .debug_str, mixed compression. */
  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of("go1.27", RuntimeLayoutTableTest.spine(GoToolchain.GO_1_27, Variant.DEFAULT)),
        Arguments.of("go1.24 external link", RuntimeLayoutTableTest.externallyLinkedCgo(GoToolchain.GO_1_24)));
  }

  /** The compressed file as a whole: section headers, Elf64_Chdr fields, zlib streams. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void open_mutatedCompressedBinary_throwsOnlyGoBinaryException(String go, Path path) throws Exception {
    byte[] original = Files.readAllBytes(path);
    ElfFile elf = ElfFile.parse(ByteBuffer.wrap(original), "base");
    List<ElfSection> debug = new ArrayList<>();
    elf.sections().forEach(s -> {
      if (s.name().startsWith(".debug_") && s.size() >= 64) {
        debug.add(s);
      }
    });
    long shoff = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong(0x28);
    byte[] work = original.clone();
    Random random = new Random(0xc0de5L + go.hashCode());
    Map<String, Integer> outcomes = new TreeMap<>();

    for (int i = 0; i < FILE_ITERATIONS; i++) {
      List<Mutation> undo = new ArrayList<>();
      StringBuilder what = new StringBuilder();
      int length = work.length;
      int index = random.nextInt(debug.size());
      ElfSection s = debug.get(index);
      int header = (int) shoff + elf.sections().indexOf(s) * 64;
      switch (random.nextInt(5)) {
        case 0 -> put32(work, header + 8 + random.nextInt(2) * 24 + random.nextInt(2) * 4, // flags, offset or size
            EXTREMES[random.nextInt(EXTREMES.length)], undo, what);
        case 1 -> put32(work, (int) s.offset() + 8 * random.nextInt(3), EXTREMES[random.nextInt(EXTREMES.length)],
            undo, what); // ch_type, ch_size, ch_addralign when compressed; the first entries otherwise
        case 2 -> { // the zlib stream header and first blocks
          for (int n = 1 + random.nextInt(4); n > 0; n--) {
            flip(work, (int) s.offset() + 24 + random.nextInt((int) Math.min(256, s.size() - 24)), random, undo, what);
          }
        }
        case 3 -> flip(work, (int) (s.offset() + random.nextInt((int) s.size())), random, undo, what);
        default -> {
          length = (int) (s.offset() + random.nextInt((int) s.size()));
          what.append("truncate file to ").append(length);
        }
      }
      byte[] input = work;
      int len = length;
      String outcome = exercise(() -> {
        Optional<DwarfReader> r = DwarfReader.open(ElfFile.parse(ByteBuffer.wrap(input, 0, len).slice(), "fuzz"));
        r.ifPresent(DwarfFuzzTest::analyse);
      }, go + " #" + i + " " + s.name() + " " + what);
      outcomes.merge(outcome, 1, Integer::sum);
      for (int u = undo.size() - 1; u >= 0; u--) {
        undo.get(u).undo();
      }
    }
    assertThat(outcomes.getOrDefault("CORRUPT", 0)).isGreaterThan(FILE_ITERATIONS / 5);
    assertThat(outcomes.getOrDefault("ok", 0)).isGreaterThan(FILE_ITERATIONS / 5);
  }

  private static void analyse(DwarfReader r) {
    for (String s : STRUCTS) {
      r.struct(s).ifPresent(st -> st.members().forEach(m -> m.name().length()));
    }
    r.variableAddress("runtime.memstats");
    try {
      RuntimeLayoutDwarf.extract(r, GoBinary.MAPS_SWISS);
      RuntimeLayoutDwarf.extract(r, GoBinary.MAPS_CLASSIC);
    } catch (RuntimeLayoutDwarf.Mismatch expected) {
      // a damaged runtime description that no longer fits: reported, not thrown, by forBinary
    }
  }

  /** Runs one input; returns "ok" or the GoBinaryException reason, fails on anything else. */
  private static String exercise(Runnable r, String what) {
    long start = System.nanoTime();
    String outcome;
    try {
      r.run();
      outcome = "ok";
    } catch (GoBinaryException e) {
      assertThat(e.getMessage()).isNotBlank();
      outcome = e.reason().name();
    } catch (Throwable t) {
      throw new AssertionError("input " + what + " escaped as " + t, t);
    }
    long took = System.nanoTime() - start;
    if (took > MAX_NANOS_PER_INPUT) {
      fail("input " + what + " took " + took / 1_000_000 + " ms");
    }
    return outcome;
  }

  private static void flip(byte[] a, int at, Random random, List<Mutation> undo, StringBuilder what) {
    byte value = (byte) (random.nextBoolean() ? random.nextInt(256) : a[at] ^ (1 << random.nextInt(8)));
    undo.add(new Mutation(a, at, a[at]));
    a[at] = value;
    what.append(String.format("[%d]=%02x ", at, value));
  }

  private static void put32(byte[] a, int at, long v, List<Mutation> undo, StringBuilder what) {
    if (at < 0 || at + 4 > a.length) {
      return;
    }
    for (int k = 0; k < 4; k++) {
      undo.add(new Mutation(a, at + k, a[at + k]));
      a[at + k] = (byte) (v >>> (8 * k));
    }
    what.append(String.format("[%d..+4]=%x ", at, v));
  }

  private static byte[] copy(ByteView v) {
    return v.bytes(0, (int) v.size());
  }

  private static ByteView view(byte[] a, int length) {
    return ByteView.of(ByteBuffer.wrap(a, 0, length).slice(), "fuzz", "DWARF .debug_info");
  }
}
