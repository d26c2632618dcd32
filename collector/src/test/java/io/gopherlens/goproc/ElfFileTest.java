package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gopherlens.goproc.GoBuilds.Build;
import io.gopherlens.goproc.GoBuilds.Toolchain;
import io.gopherlens.goproc.GoBuilds.Variant;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ElfFileTest {
  private static final Path NOT_GO = Path.of("/bin/true");

  @Test
  void open_nonGoElfIsNotAGoBinary() {
    assertThatThrownBy(() -> GoBinary.open(NOT_GO))
        .isInstanceOfSatisfying(GoBinaryException.class, e -> assertThat(e.reason()).isEqualTo(GoBinaryException.Reason.NOT_GO_BINARY))
        .hasMessageStartingWith("not a Go binary: /bin/true: ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void open_textFileIsNotElf(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");

    assertThatThrownBy(() -> GoBinary.open(f))
        .isInstanceOfSatisfying(GoBinaryException.class, e -> assertThat(e.reason()).isEqualTo(GoBinaryException.Reason.NOT_ELF))
        .hasMessageStartingWith("not an ELF file: ");
  }

  @Test
  void open_missingFileIsAnIoError(@TempDir Path dir) {
    assertThatThrownBy(() -> GoBinary.open(dir.resolve("gone")))
        .isInstanceOfSatisfying(GoBinaryException.class, e -> assertThat(e.reason()).isEqualTo(GoBinaryException.Reason.IO))
        .hasMessageStartingWith("cannot read " + dir.resolve("gone"));
  }

  @Test
  void parse_truncatedHeaderIsCorrupt() throws IOException {
    byte[] head = new byte[40];
    System.arraycopy(Files.readAllBytes(NOT_GO), 0, head, 0, head.length);

    assertThatThrownBy(() -> ElfFile.parse(ByteBuffer.wrap(head), "head"))
        .isInstanceOf(GoBinaryException.class)
        .hasMessage("truncated or corrupt ELF: head: file is 40 bytes, shorter than the 64-byte ELF header");
  }

  @Test
  void parse_32BitElfIsUnsupported() {
    ByteBuffer elf32 = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1});

    assertThatThrownBy(() -> ElfFile.parse(elf32, "elf32"))
        .isInstanceOfSatisfying(GoBinaryException.class, e -> assertThat(e.reason()).isEqualTo(GoBinaryException.Reason.UNSUPPORTED))
        .hasMessageContaining("32-bit ELF");
  }

  @Test
  void parse_sectionTablePastTheEndIsCorrupt() throws IOException {
    ByteBuffer image = ByteBuffer.wrap(Files.readAllBytes(NOT_GO)).order(ByteOrder.LITTLE_ENDIAN);
    image.putLong(0x28, image.capacity() - 10); // e_shoff

    assertThatThrownBy(() -> ElfFile.parse(image, "bad"))
        .isInstanceOf(GoBinaryException.class)
        .hasMessageStartingWith("truncated or corrupt ELF: bad: ");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.gopherlens.goproc.GoBuilds#all")
  void fileOffset_matchesEverySectionHeader(Build b) {
    ElfFile elf = ElfFile.open(b.path());

    int checked = 0;
    for (ElfSection s : elf.sections()) {
      if ((s.flags() & ElfSection.SHF_ALLOC) == 0 || s.size() == 0 || s.name().equals(".tbss")) {
        continue;
      }
      if (s.hasFileBytes()) {
        assertThat(elf.fileOffset(s.addr())).as(s.name()).isEqualTo(s.offset());
        assertThat(elf.fileOffset(s.addr() + s.size() - 1)).as(s.name()).isEqualTo(s.offset() + s.size() - 1);
        checked++;
      } else {
        assertThat(elf.fileOffset(s.addr() + s.size() - 1)).as(s.name() + " has no file bytes").isEqualTo(-1);
      }
    }
    assertThat(checked).isGreaterThan(5);
    assertThat(elf.fileOffset(-1L)).isEqualTo(-1);
    assertThat(elf.type()).isEqualTo(b.variant() == Variant.PIE || b.variant() == Variant.CGO_PIE ? ElfFile.ET_DYN : ElfFile.ET_EXEC);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.gopherlens.goproc.GoBuilds#all")
  void dynamic_onlyCgoAndPieBuildsHaveAnInterpreter(Build b) {
    ElfFile elf = ElfFile.open(b.path());
    Variant v = b.variant();

    // Internally linked PIE needs the dynamic loader to relocate itself, but no library.
    boolean dynamic = v.cgo || v == Variant.PIE;
    assertThat(elf.interpreter().isPresent()).isEqualTo(dynamic);
    elf.interpreter().ifPresent(i -> assertThat(i).isEqualTo("/lib64/ld-linux-x86-64.so.2"));
    assertThat(elf.neededLibraries().contains("libc.so.6")).isEqualTo(v.cgo);
    // Go writes a GNU build ID itself since 1.24; before, only the system linker did (cgo).
    assertThat(elf.gnuBuildId().isPresent()).isEqualTo(v.cgo || b.toolchain().minor() >= 24);
    elf.gnuBuildId().ifPresent(id -> assertThat(id).matches("[0-9a-f]{40}"));
  }

  @Test
  void gnuBuildId_presentInSystemBinary() {
    assertThat(ElfFile.open(NOT_GO).gnuBuildId()).get().asString().matches("[0-9a-f]{32,64}");
    assertThat(ElfFile.open(NOT_GO).goBuildId()).isEmpty();
  }

  /**
   * Without section headers (sstrip, some packers) the Go tables are still found: build info at
   * the start of the first writable segment, pclntab by its header, text start from moduledata.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.gopherlens.goproc.GoBuilds#all")
  void parse_withoutSectionHeadersStillFindsGoTables(Build b) throws IOException {
    ByteBuffer image = ByteBuffer.wrap(Files.readAllBytes(b.path())).order(ByteOrder.LITTLE_ENDIAN);
    image.putLong(0x28, 0); // e_shoff
    image.putShort(0x3c, (short) 0); // e_shnum
    image.putShort(0x3e, (short) 0); // e_shstrndx
    GoBinary expected = GoBinary.open(b.path());

    GoBinary bin = GoBinary.parse(image, "sstripped");

    assertThat(bin.elf().sections()).isEmpty();
    assertThat(bin.goVersion()).isEqualTo(expected.goVersion());
    assertThat(bin.buildInfo().settings()).isEqualTo(expected.buildInfo().settings());
    assertThat(bin.pclntab().textStart()).isEqualTo(expected.pclntab().textStart());
    assertThat(bin.elf().goBuildId()).isEqualTo(expected.elf().goBuildId());
    for (String name : GoBinaryTest.probedFunctions(expected)) {
      assertThat(bin.function(name)).as(name).isEqualTo(expected.function(name));
    }
  }

  /**
   * Found by the fuzz test: thousands of overlapping writable segments made the moduledata
   * scan (Go 1.27 has no text start in the pclntab header) read the file once per segment.
   */
  @Test
  void parse_manyOverlappingSegmentsStayFast() throws IOException {
    Build b = GoBuilds.build(Toolchain.GO_1_27, Variant.CGO);
    byte[] original = Files.readAllBytes(b.path());
    ByteBuffer in = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
    int phoff = (int) in.getLong(0x20);
    int realCount = in.getShort(0x38);
    int bogus = 20_000;
    ByteBuffer image = ByteBuffer.allocate(original.length + (realCount + bogus) * 56).order(ByteOrder.LITTLE_ENDIAN);
    image.put(original);
    image.putLong(0x20, original.length); // e_phoff: the new table at the end
    image.putShort(0x38, (short) (realCount + bogus));
    image.position(original.length);
    image.put(original, phoff, realCount * 56); // the real headers first, so addresses resolve as before
    for (int i = 0; i < bogus; i++) {
      // PT_LOAD, RW, the whole file, at addresses nothing uses.
      image.putInt(1).putInt(6).putLong(0).putLong(0x7000_0000_0000L + i * 0x1000_0000L).putLong(0)
          .putLong(original.length).putLong(original.length).putLong(0x1000);
    }
    GoBinary expected = GoBinary.open(b.path());
    long start = System.nanoTime();

    GoBinary bin = GoBinary.parse(image, "many-segments");

    assertThat(bin.pclntab().textStart()).isEqualTo(expected.pclntab().textStart());
    assertThat(bin.function("runtime.gcStart")).isEqualTo(expected.function("runtime.gcStart"));
    assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
  }

  @Test
  void open_go117UsesZdebugSections() throws IOException {
    ElfFile elf = ElfFile.open(PclntabTest.go117Binary());

    assertThat(elf.section(".zdebug_info")).isPresent();
    assertThat(elf.hasDwarf()).isTrue();
    assertThat(elf.hasSymtab()).isTrue();
  }

  @Test
  void sections_ofGo127BuildIncludeGoModule() {
    ElfFile elf = ElfFile.open(GoBuilds.build(Toolchain.GO_1_27, Variant.DEFAULT).path());

    // Go 1.27 moved firstmoduledata into its own section and dropped .gosymtab.
    assertThat(elf.section(".go.module")).isPresent();
    assertThat(elf.section(".gosymtab")).isEmpty();
  }
}
