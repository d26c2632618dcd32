package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gopherlens.goproc.GoBuilds.Build;
import io.gopherlens.goproc.GoBuilds.Toolchain;
import io.gopherlens.goproc.GoBuilds.Variant;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Thousands of truncated and mutated copies of real Go binaries, with the damage concentrated
 * where parsers trust length and offset fields: ELF and program/section headers, build info,
 * the pclntab header, functab and func records. Whatever the input, only GoBinaryException may
 * come out, and every analysis must finish quickly.
 */
class GoBinaryFuzzTest {
  private static final int ITERATIONS = 2_000; // per base binary; three bases
  private static final long MAX_NANOS_PER_INPUT = 1_000_000_000L;
  private static final long[] EXTREMES = {0, -1, 1, 0x7fffffffL, 0x80000000L, 0xffffffffL, Long.MAX_VALUE, Long.MIN_VALUE,
      0x7ffffff8L, 1L << 32, 64, 0x400000};
  private static final String[] NAMES = {"runtime.gcStart", "runtime.mallocgc", "main.main", "main.hugeFrame",
      "internal/runtime/maps.(*table).split", "runtime.hashGrow", "no.such.function"};

  /** Header-trusting paths: with sections (1.24), moduledata text start (1.27 cgo), header search (1.19 cgo PIE). */
  static Stream<Build> bases() {
    return Stream.of(GoBuilds.build(Toolchain.GO_1_24, Variant.DEFAULT), GoBuilds.build(Toolchain.GO_1_27, Variant.CGO),
        GoBuilds.build(Toolchain.GO_1_19, Variant.CGO_PIE));
  }

  private record Region(String name, int from, int to) {}

  private record Mutation(int at, byte old) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("bases")
  void parse_mutatedBinaryThrowsOnlyGoBinaryException(Build b) throws IOException {
    byte[] original = Files.readAllBytes(b.path());
    byte[] work = original.clone();
    List<Region> regions = regions(original, b);
    Random random = new Random(0x60_7e_12_5L ^ b.toString().hashCode());
    int parsed = 0;
    int rejected = 0;
    java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
    long slowest = 0;

    for (int i = 0; i < ITERATIONS; i++) {
      List<Mutation> undo = new ArrayList<>();
      StringBuilder what = new StringBuilder();
      int length = original.length;
      int mode = random.nextInt(10);
      if (mode == 0 || mode == 9) {
        Region r = regions.get(random.nextInt(regions.size()));
        length = random.nextBoolean() ? random.nextInt(original.length) : r.from + random.nextInt(r.to - r.from + 1);
        what.append("truncate to ").append(length).append("; ");
      }
      if (mode != 0) {
        int count = 1 + random.nextInt(8);
        for (int k = 0; k < count; k++) {
          mutate(work, regions.get(random.nextInt(regions.size())), random, undo, what);
        }
      }
      ByteBuffer input = ByteBuffer.wrap(work).slice(0, length);
      long start = System.nanoTime();
      try {
        exercise(input, random);
        parsed++;
      } catch (GoBinaryException expected) {
        assertThat(expected.getMessage()).doesNotContain("\n");
        rejected++;
        String m = expected.getMessage().replace("fuzz: ", "");
        reasons.merge(m.substring(0, Math.min(m.length(), 60)).replaceAll("0x[0-9a-f]+|\\d+", "N"), 1, Integer::sum);
      } catch (Throwable t) {
        fail("iteration " + i + " of " + b + " (" + what + ") threw " + t, t);
      }
      long took = System.nanoTime() - start;
      slowest = Math.max(slowest, took);
      if (took > MAX_NANOS_PER_INPUT) {
        fail("iteration " + i + " of " + b + " (" + what + ") took " + took / 1_000_000 + " ms");
      }
      for (int k = undo.size() - 1; k >= 0; k--) {
        work[undo.get(k).at()] = undo.get(k).old();
      }
    }
    System.out.printf("%s: %d parsed, %d rejected, slowest %d ms%n", b, parsed, rejected, slowest / 1_000_000);
    reasons.forEach((k, v) -> System.out.printf("  %5d %s%n", v, k));
    // The mutations must both break parsing and leave some inputs readable, or they test little.
    assertThat(rejected).isGreaterThan(ITERATIONS / 10);
    assertThat(parsed).isGreaterThan(ITERATIONS / 20);
    assertThat(slowest).isLessThan(MAX_NANOS_PER_INPUT);
  }

  private static void exercise(ByteBuffer input, Random random) {
    GoBinary bin = GoBinary.parse(input, "fuzz");
    bin.goVersion();
    bin.version();
    bin.modulePath();
    bin.buildInfo().settings();
    bin.stripped();
    bin.hasDwarf();
    bin.pie();
    bin.cgo();
    bin.mapImplementation();
    bin.elf().goBuildId();
    bin.elf().gnuBuildId();
    bin.elf().interpreter();
    bin.elf().neededLibraries();
    for (String name : NAMES) {
      Optional<GoFunction> fn = bin.function(name);
      if (fn.isPresent()) {
        bin.returnFileOffsets(fn.get());
        bin.symbolize(fn.get().entryVa());
        bin.symbolize(fn.get().endVa() - 1);
        bin.functionAt(fn.get().entryVa() + 1);
      }
    }
    Pclntab t = bin.pclntab();
    for (int k = 0; k < 8 && t.functionCount() > 0; k++) {
      int i = random.nextInt(t.functionCount());
      t.name(i);
      t.sourceAt(t.entry(i));
      t.sourceAt(t.end(i) - 1);
    }
    bin.symbolize(random.nextLong());
  }

  private static void mutate(byte[] work, Region r, Random random, List<Mutation> undo, StringBuilder what) {
    int at = r.from + random.nextInt(Math.max(1, r.to - r.from));
    int kind = random.nextInt(3);
    int width = kind == 2 ? (random.nextBoolean() ? 8 : 4) : 1;
    at = Math.min(at, work.length - width) & ~(width - 1);
    for (int j = 0; j < width; j++) {
      undo.add(new Mutation(at + j, work[at + j]));
    }
    switch (kind) {
      case 0 -> work[at] = (byte) random.nextInt(256);
      case 1 -> work[at] ^= (byte) (1 << random.nextInt(8));
      default -> {
        long v = random.nextInt(4) == 0 ? random.nextLong() : EXTREMES[random.nextInt(EXTREMES.length)];
        ByteBuffer.wrap(work).order(ByteOrder.LITTLE_ENDIAN).put(at, width == 8 ? longBytes(v) : intBytes((int) v));
      }
    }
    what.append(r.name).append("@0x").append(Integer.toHexString(at)).append(kind == 2 ? " value" : " byte").append("; ");
  }

  /** Byte ranges worth damaging, found in the undamaged original. */
  private static List<Region> regions(byte[] original, Build b) {
    ElfFile elf = ElfFile.parse(ByteBuffer.wrap(original), b.toString());
    ByteBuffer le = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
    List<Region> out = new ArrayList<>();
    out.add(new Region("ELF header", 0, 64));
    int phoff = (int) le.getLong(0x20);
    out.add(new Region("program headers", phoff, phoff + le.getShort(0x38) * 56));
    int shoff = (int) le.getLong(0x28);
    out.add(new Region("section headers", shoff, shoff + le.getShort(0x3c) * 64));
    for (String name : List.of(".go.buildinfo", ".note.go.buildid", ".shstrtab", ".dynamic", ".go.module", ".noptrdata")) {
      elf.section(name).ifPresent(s -> out.add(new Region(name, (int) s.offset(), (int) Math.min(s.offset() + s.size(), s.offset() + 4096))));
    }
    int pcln = pclntabOffset(original);
    int nfunc = (int) le.getLong(pcln + 8);
    int functab = pcln + (int) le.getLong(pcln + 8 + 7 * 8);
    out.add(new Region("pclntab header", pcln, pcln + 72));
    out.add(new Region("pclntab header", pcln, pcln + 72)); // twice: the most trusted bytes
    out.add(new Region("functab", functab, functab + (2 * nfunc + 1) * 4));
    out.add(new Region("func records", functab + (2 * nfunc + 1) * 4, functab + (2 * nfunc + 1) * 4 + 65536));
    out.add(new Region("funcnametab", pcln + (int) le.getLong(pcln + 8 + 3 * 8), pcln + (int) le.getLong(pcln + 8 + 4 * 8)));
    out.add(new Region("pctab", pcln + (int) le.getLong(pcln + 8 + 6 * 8), functab));
    out.add(new Region("anywhere", 0, original.length));
    return out.stream()
        .map(r -> new Region(r.name(), Math.min(r.from(), original.length - 1), Math.min(r.to(), original.length)))
        .filter(r -> r.to() > r.from())
        .toList();
  }

  private static int pclntabOffset(byte[] original) {
    ByteBuffer le = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
    for (int off = 0; off + 8 <= original.length; off += 8) {
      int magic = le.getInt(off);
      if ((magic == 0xfffffff0 || magic == 0xfffffff1) && le.getInt(off + 4) == 0x08010000) {
        return off;
      }
    }
    throw new AssertionError("no pclntab header in the base binary");
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  private static byte[] intBytes(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }
}
