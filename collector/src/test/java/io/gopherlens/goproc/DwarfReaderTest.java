package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The DWARF reader against real builds of every installed toolchain (compressed DWARF 4 and 5),
 * the same files rewritten by objcopy into the other two storage forms, and hand-made DWARF
 * with the forms Go does not emit but other linkers do.
 */
class DwarfReaderTest {
  private static final Map<Path, Map<String, Long>> NM = new ConcurrentHashMap<>();

  @ParameterizedTest
  @EnumSource(GoToolchain.class)
  void open_realBuild_readsStructsAndGlobalsLikeGoToolNm(GoToolchain go) {
    Path path = RuntimeLayoutTableTest.spine(go, Variant.DEFAULT);

    DwarfReader dwarf = DwarfReader.open(ElfFile.open(path)).orElseThrow();

    // 1.27 has the Dwarf5 experiment in its baseline (internal/buildcfg); 1.24 and older write 4.
    assertThat(dwarf.version()).isEqualTo(go.compareTo(GoToolchain.GO_1_27) >= 0 ? 5 : 4);
    assertThat(dwarf.compression()).isEqualTo("zlib (SHF_COMPRESSED)");
    DwarfStruct mstats = dwarf.struct("runtime.mstats").orElseThrow();
    assertThat(mstats.member("numgc")).hasValueSatisfying(m -> {
      assertThat(m.size()).isEqualTo(4);
      assertThat(m.typeName()).isEqualTo("uint32");
    });
    assertThat(mstats.member("pause_ns").orElseThrow().size()).isEqualTo(256 * 8);
    Map<String, Long> nm = nmData(go, path);
    for (String global : List.of("runtime.memstats", "runtime.gcController", "runtime.mheap_")) {
      assertThat(dwarf.variableAddress(global)).as(global).hasValue(nm.get(global));
    }
  }

  @ParameterizedTest
  @EnumSource(GoToolchain.class)
  void struct_mapTypesOfEachVersion_haveTheRuntimeSourceFieldNames(GoToolchain go) {
    DwarfReader dwarf = DwarfReader.open(ElfFile.open(RuntimeLayoutTableTest.spine(go, Variant.DEFAULT))).orElseThrow();

    if (go.compareTo(GoToolchain.GO_1_24) < 0) {
      assertThat(names(dwarf, "runtime.hmap")).containsExactly("count", "flags", "B", "noverflow", "hash0", "buckets",
          "oldbuckets", "nevacuate", "extra");
      assertThat(dwarf.struct("internal/runtime/maps.Map")).isEmpty();
    } else {
      assertThat(dwarf.struct("runtime.hmap")).isEmpty();
      assertThat(names(dwarf, "internal/runtime/maps.table")).containsExactly("used", "capacity", "growthLeft",
          "localDepth", "index", "groups");
      DwarfStruct map = dwarf.struct("internal/runtime/maps.Map").orElseThrow();
      assertThat(map.byteSize()).isEqualTo(48);
      assertThat(map.member("tombstonePossible").isPresent()).isEqualTo(go == GoToolchain.GO_1_27);
      assertThat(map.member("clearSeq").orElseThrow().offset()).isEqualTo(40);
    }
  }

  /** ld merges gcc's DWARF 5 units (strp, line_strp, data16...) with Go's DWARF 4 ones. */
  @Test
  void open_externallyLinkedCgoBuild_readsGoTypesAmongGccUnits() {
    Path path = RuntimeLayoutTableTest.externallyLinkedCgo(GoToolchain.GO_1_24);

    DwarfReader dwarf = DwarfReader.open(ElfFile.open(path)).orElseThrow();

    assertThat(dwarf.version()).isEqualTo(5);
    assertThat(names(dwarf, "internal/runtime/maps.groupsReference")).containsExactly("data", "lengthMask");
    assertThat(dwarf.variableAddress("runtime.memstats")).hasValue(nmData(GoToolchain.GO_1_24, path)
        .get("runtime.memstats"));
  }

  @Test
  void open_strippedBuild_hasNoDwarf() {
    assertThat(DwarfReader.open(ElfFile.open(RuntimeLayoutTableTest.spine(GoToolchain.GO_1_24, Variant.STRIPPED))))
        .isEmpty();
  }

  @Test
  void struct_unknownOrNonStructName_isEmpty() {
    DwarfReader dwarf = DwarfReader.open(ElfFile.open(RuntimeLayoutTableTest.spine(GoToolchain.GO_1_23,
        Variant.DEFAULT))).orElseThrow();
    assertThat(dwarf.struct("runtime.noSuchType")).isEmpty();
    assertThat(dwarf.struct("runtime.memstats")).isEmpty(); // a variable, not a type
    assertThat(dwarf.variableAddress("runtime.mstats")).isEmpty(); // a type, not a variable
  }

  /** .zdebug_* with the "ZLIB" header: what older Go linkers and objcopy's zlib-gnu write. */
  @Test
  void open_zdebugSections_readsTheSameAsShfCompressed(@TempDir Path tmp) throws Exception {
    assertSameAfterObjcopy(GoToolchain.GO_1_19, tmp, "--compress-debug-sections=zlib-gnu", "zlib (.zdebug)");
  }

  /** Uncompressed sections: what external linking and -ldflags=-compressdwarf=false give. */
  @Test
  void open_uncompressedSections_readsTheSameAsShfCompressed(@TempDir Path tmp) throws Exception {
    assertSameAfterObjcopy(GoToolchain.GO_1_27, tmp, "--decompress-debug-sections", "none");
  }

  @Test
  void parse_formsGoDoesNotEmit_resolveNamesSizesAndAddresses() {
    DwarfReader dwarf = DwarfReader.parse(SyntheticDwarf.sections());

    assertThat(dwarf.version()).isEqualTo(5);
    DwarfStruct s = dwarf.struct("pkg.T").orElseThrow();
    assertThat(s.byteSize()).isEqualTo(24);
    assertThat(s.members()).containsExactly(
        new DwarfMember("a", 0, 8, "pkg.U64"),
        new DwarfMember("b", 8, 8, "*pkg.T"),
        new DwarfMember("c", 16, 4, "uint32"));
    assertThat(dwarf.variableAddress("pkg.viaAddrx")).hasValue(0x401000L);
    assertThat(dwarf.variableAddress("pkg.viaAddr")).hasValue(0x7654321L);
    assertThat(dwarf.variableAddress("pkg.tls")).isEmpty(); // DW_OP_addr followed by a TLS op
    assertThat(dwarf.struct("pkg.Wide").orElseThrow().members())
        .containsExactly(new DwarfMember("x", 4, 4, "uint32"));
  }

  @Test
  void inflate_zstdSection_isUnsupportedWithWhatToDo() {
    ByteView raw = view(chdr(2, 100, new byte[8]));

    assertThatThrownBy(() -> DwarfSections.inflateChdr(raw, "DWARF .debug_info", "f"))
        .isInstanceOf(GoBinaryException.class)
        .hasMessageContaining("zstd")
        .hasMessageContaining("objcopy")
        .extracting(e -> ((GoBinaryException) e).reason()).isEqualTo(GoBinaryException.Reason.UNSUPPORTED);
  }

  @Test
  void inflate_sizeThatZlibCannotReach_isCorruptWithoutAllocating() {
    ByteView raw = view(chdr(1, 1L << 29, deflate(new byte[100])));

    assertThatThrownBy(() -> DwarfSections.inflateChdr(raw, "DWARF .debug_info", "f"))
        .isInstanceOf(GoBinaryException.class)
        .hasMessageContaining("more than zlib can expand");
  }

  @Test
  void inflate_streamShorterOrLongerThanHeader_isCorrupt() {
    byte[] data = new byte[5000];
    assertThat(DwarfSections.inflateChdr(view(chdr(1, 5000, deflate(data))), "d", "f").size()).isEqualTo(5000);
    assertThatThrownBy(() -> DwarfSections.inflateChdr(view(chdr(1, 5001, deflate(data))), "d", "f"))
        .isInstanceOf(GoBinaryException.class).hasMessageContaining("holds 5000 bytes, header says 5001");
    assertThatThrownBy(() -> DwarfSections.inflateChdr(view(chdr(1, 4999, deflate(data))), "d", "f"))
        .isInstanceOf(GoBinaryException.class).hasMessageContaining("more than");
    byte[] cut = deflate(data);
    assertThatThrownBy(() -> DwarfSections.inflateChdr(view(chdr(1, 5000, Arrays.copyOf(cut, 10))), "d", "f"))
        .isInstanceOf(GoBinaryException.class);
  }

  @Test
  void inflate_zdebugHeader_isBigEndianSize() {
    byte[] payload = "hello dwarf".getBytes(StandardCharsets.US_ASCII);
    byte[] z = deflate(payload);
    ByteBuffer b = ByteBuffer.allocate(12 + z.length).order(ByteOrder.BIG_ENDIAN);
    b.put("ZLIB".getBytes(StandardCharsets.US_ASCII)).putLong(payload.length).put(z);

    ByteView out = DwarfSections.inflateZdebug(view(b.array()), "d", "f");

    assertThat(out.bytes(0, payload.length)).isEqualTo(payload);
  }

  private static void assertSameAfterObjcopy(GoToolchain go, Path tmp, String flag, String compression)
      throws Exception {
    Path original = RuntimeLayoutTableTest.spine(go, Variant.DEFAULT);
    Path copy = tmp.resolve("rewritten");
    run(List.of("objcopy", flag, original.toString(), copy.toString()), Map.of());

    DwarfReader before = DwarfReader.open(ElfFile.open(original)).orElseThrow();
    DwarfReader after = DwarfReader.open(ElfFile.open(copy)).orElseThrow();

    assertThat(after.compression()).isEqualTo(compression);
    for (String type : List.of("runtime.gcControllerState", "runtime.mstats", "runtime.mheap")) {
      assertThat(after.struct(type)).isEqualTo(before.struct(type)).isPresent();
    }
    assertThat(after.variableAddress("runtime.memstats")).isEqualTo(before.variableAddress("runtime.memstats"));
  }

  private static List<String> names(DwarfReader dwarf, String type) {
    return dwarf.struct(type).orElseThrow().members().stream().map(DwarfMember::name).toList();
  }

  /** Data symbols of a binary by {@code go tool nm}: the reference for variable addresses. */
  static Map<String, Long> nmData(GoToolchain go, Path binary) {
    return NM.computeIfAbsent(binary, p -> {
      Path goroot = go.goBinary().getParent().getParent();
      String out = run(List.of(go.goBinary().toString(), "tool", "nm", p.toString()), Map.of("GOROOT",
          goroot.toString()));
      Map<String, Long> syms = new HashMap<>();
      for (String line : out.split("\n")) {
        String[] f = line.trim().split("\\s+", 3);
        if (f.length == 3 && (f[1].equals("D") || f[1].equals("B") || f[1].equals("d") || f[1].equals("b"))) {
          syms.put(f[2], Long.parseUnsignedLong(f[0], 16));
        }
      }
      return syms;
    });
  }

  private static String run(List<String> cmd, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd.get(0) + " (binutils and the Go toolchains come from"
          + " scripts/setup.sh)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static ByteView view(byte[] b) {
    return ByteView.of(ByteBuffer.wrap(b), "test", "DWARF test");
  }

  private static byte[] chdr(int type, long size, byte[] stream) {
    ByteBuffer b = ByteBuffer.allocate(24 + stream.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(type).putInt(0).putLong(size).putLong(1).put(stream);
    return b.array();
  }

  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater();
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  /**
   * Hand-made sections: a DWARF 5 unit using strx1/strp/line_strp/strx names, implicit_const
   * and exprloc member locations, ref4/ref_udata/ref_addr references and addrx/addr
   * locations, then a DWARF 4 unit in the 64-bit format.
   */
  static final class SyntheticDwarf {
    static DwarfSections sections() {
      Bytes abbrev = new Bytes();
      // 1: compile_unit(children): str_offsets_base, addr_base
      abbrev.uleb(1).uleb(0x11).u8(1).uleb(0x72).uleb(0x17).uleb(0x73).uleb(0x17).uleb(0).uleb(0);
      // 2: structure_type(children): name strx1, byte_size data1
      abbrev.uleb(2).uleb(0x13).u8(1).uleb(0x03).uleb(0x25).uleb(0x0b).uleb(0x0b).uleb(0).uleb(0);
      // 3: member: name strp, data_member_location exprloc, type ref4
      abbrev.uleb(3).uleb(0x0d).u8(0).uleb(0x03).uleb(0x0e).uleb(0x38).uleb(0x18).uleb(0x49).uleb(0x13).uleb(0)
          .uleb(0);
      // 4: member: name string, data_member_location implicit_const 8, type ref_udata
      abbrev.uleb(4).uleb(0x0d).u8(0).uleb(0x03).uleb(0x08).uleb(0x38).uleb(0x21).sleb(8).uleb(0x49).uleb(0x15)
          .uleb(0).uleb(0);
      // 5: member: name string, data_member_location data1, type ref_addr
      abbrev.uleb(5).uleb(0x0d).u8(0).uleb(0x03).uleb(0x08).uleb(0x38).uleb(0x0b).uleb(0x49).uleb(0x10).uleb(0)
          .uleb(0);
      // 6: base_type: name line_strp, byte_size udata
      abbrev.uleb(6).uleb(0x24).u8(0).uleb(0x03).uleb(0x1f).uleb(0x0b).uleb(0x0f).uleb(0).uleb(0);
      // 7: typedef: name string, type ref4
      abbrev.uleb(7).uleb(0x16).u8(0).uleb(0x03).uleb(0x08).uleb(0x49).uleb(0x13).uleb(0).uleb(0);
      // 8: pointer_type: name string, type ref4 (no byte_size, like Go)
      abbrev.uleb(8).uleb(0x0f).u8(0).uleb(0x03).uleb(0x08).uleb(0x49).uleb(0x13).uleb(0).uleb(0);
      // 9: variable: name strx, location exprloc
      abbrev.uleb(9).uleb(0x34).u8(0).uleb(0x03).uleb(0x1a).uleb(0x02).uleb(0x18).uleb(0).uleb(0);
      // 10: variable: name string, location block1
      abbrev.uleb(10).uleb(0x34).u8(0).uleb(0x03).uleb(0x08).uleb(0x02).uleb(0x0a).uleb(0).uleb(0);
      // 11: compile_unit(children), no attributes
      abbrev.uleb(11).uleb(0x11).u8(1).uleb(0).uleb(0);
      // 12: structure_type(children): name string, byte_size data1
      abbrev.uleb(12).uleb(0x13).u8(1).uleb(0x03).uleb(0x08).uleb(0x0b).uleb(0x0b).uleb(0).uleb(0);
      abbrev.uleb(0);

      Bytes str = new Bytes();
      str.cstr("").cstr("pkg.T").cstr("a").cstr("pkg.viaAddrx");
      int strT = 1;
      int strA = 7;
      int strVar = 9;
      Bytes lineStr = new Bytes().cstr("x").cstr("uint64"); // "uint64" at 2
      Bytes strOffsets = new Bytes().u32(12).u16(5).u16(0); // DWARF 5 header: length, version, padding
      strOffsets.u32(strT).u32(strVar); // index 0 -> pkg.T, 1 -> pkg.viaAddrx
      Bytes addr = new Bytes().u32(12).u16(5).u8(8).u8(0).u64(0x401000L); // header, then index 0

      // Unit 1: DWARF 5, 32-bit.
      Bytes u = new Bytes();
      u.u32(0).u16(5).u8(1).u8(8).u32(0); // length patched below
      u.uleb(1).u32(8).u32(8); // CU: str_offsets_base=8, addr_base=8
      int structAt = u.size();
      u.uleb(2).u8(0).u8(24); // pkg.T (strx1 0), 24 bytes
      int memberA = u.size();
      u.uleb(3).u32(strA).uleb(2).u8(0x23).u8(0).u32(0); // a @ plus_uconst 0, type patched
      int memberB = u.size();
      u.uleb(4).cstr("b").uleb(0); // b @ implicit 8, ref_udata patched (1 byte, < 128)
      int memberC = u.size();
      u.uleb(5).cstr("c").u8(16).u32(0); // c @ 16, ref_addr patched
      u.u8(0); // end of pkg.T's members
      int typedefU64 = u.size();
      u.uleb(7).cstr("pkg.U64").u32(0);
      int baseU64 = u.size();
      u.uleb(6).u32(2).uleb(8); // uint64, 8 bytes
      int ptrT = u.size();
      u.uleb(8).cstr("*pkg.T").u32(structAt);
      u.uleb(9).uleb(1).uleb(2).u8(0xa1).u8(0); // pkg.viaAddrx: DW_OP_addrx 0
      u.uleb(10).cstr("pkg.viaAddr").u8(9).u8(0x03).u64(0x7654321L);
      u.uleb(10).cstr("pkg.tls").u8(10).u8(0x03).u64(0x10).u8(0x9b);
      u.u8(0); // end of CU children
      u.patch32(0, u.size() - 4);
      u.patch32(memberA + 1 + 4 + 1 + 1 + 1, typedefU64);
      u.patch32(typedefU64 + 1 + "pkg.U64".length() + 1, baseU64);
      u.patch8(memberB + 1 + 2, ptrT);

      // Unit 2: DWARF 4 in the 64-bit format; unit 1's member c refers into it by ref_addr.
      Bytes v = new Bytes();
      int unit2 = u.size();
      v.u32(0xffffffffL).u64(0).u16(4).u64(0).u8(8); // length patched below
      v.uleb(11);
      int typedefU32 = unit2 + v.size();
      v.uleb(7).cstr("uint32").u32(0); // ref4, unit-relative, patched below
      int baseU32 = unit2 + v.size();
      v.uleb(6).u64(0).uleb(4); // line_strp 0 ("x"), offset-sized: 8 bytes here; type of 4 bytes
      v.uleb(12).cstr("pkg.Wide").u8(8);
      v.uleb(5).cstr("x").u8(4).u64(typedefU32); // ref_addr is 8 bytes in the 64-bit format
      v.u8(0); // end of pkg.Wide's members
      v.u8(0); // end of CU children
      v.patch64(4, v.size() - 12);
      v.patch32(typedefU32 - unit2 + 1 + "uint32".length() + 1, baseU32 - unit2);
      u.patch32(memberC + 1 + 2 + 1, typedefU32);

      byte[] info = new byte[u.size() + v.size()];
      System.arraycopy(u.bytes(), 0, info, 0, u.size());
      System.arraycopy(v.bytes(), 0, info, u.size(), v.size());
      return new DwarfSections(view(info), view(abbrev.bytes()), Optional.of(view(str.bytes())),
          Optional.of(view(lineStr.bytes())), Optional.of(view(strOffsets.bytes())), Optional.of(view(addr.bytes())),
          "none");
    }
  }

  /** A little-endian byte builder for hand-made sections. */
  static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes u8(int v) {
      out.write(v);
      return this;
    }

    Bytes u16(int v) {
      return u8(v).u8(v >>> 8);
    }

    Bytes u32(long v) {
      return u16((int) v).u16((int) (v >>> 16));
    }

    Bytes u64(long v) {
      return u32(v).u32(v >>> 32);
    }

    Bytes uleb(long v) {
      do {
        int b = (int) (v & 0x7f);
        v >>>= 7;
        u8(v != 0 ? b | 0x80 : b);
      } while (v != 0);
      return this;
    }

    Bytes sleb(long v) {
      while (true) {
        int b = (int) (v & 0x7f);
        v >>= 7;
        if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) {
          return u8(b);
        }
        u8(b | 0x80);
      }
    }

    Bytes cstr(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
      return u8(0);
    }

    int size() {
      return out.size();
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    void patch8(int at, int v) {
      edit(at, new byte[] {(byte) v});
    }

    void patch32(int at, long v) {
      edit(at, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    void patch64(int at, long v) {
      edit(at, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    private void edit(int at, byte[] with) {
      byte[] all = out.toByteArray();
      System.arraycopy(with, 0, all, at, with.length);
      out.reset();
      out.write(all, 0, all.length);
    }
  }
}
