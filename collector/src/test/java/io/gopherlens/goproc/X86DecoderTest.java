package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gopherlens.goproc.GoBuilds.Build;
import io.gopherlens.goproc.GoBuilds.Toolchain;
import io.gopherlens.goproc.GoBuilds.Variant;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class X86DecoderTest {
  /** Encodings assembled by GNU as (binutils 2.40) from Intel-syntax source; length = bytes listed. */
  static Stream<String> gnuAssembled() {
    return Stream.of(
      "c3", // ret
      "c2 08 00", // ret 0x8
      "90", // nop
      "0f 1f 04 00", // nop DWORD PTR [rax+rax*1]
      "2e 66 0f 1f 04 00", // cs nop WORD PTR [rax+rax*1]
      "49 3b 66 10", // cmp rsp,QWORD PTR [r14+0x10]
      "4d 3b 66 10", // cmp r12,QWORD PTR [r14+0x10]
      "4c 8d 64 24 90", // lea r12,[rsp-0x70]
      "4c 8d a4 24 70 fc ff ff", // lea r12,[rsp-0x390]
      "49 89 e4", // mov r12,rsp
      "49 81 ec 38 17 00 00", // sub r12,0x1738
      "76 3e", // jbe 0x6e
      "0f 86 fa 03 00 00", // jbe 0x430
      "48 8b 05 45 23 01 00", // mov rax,QWORD PTR [rip+0x12345] # 0x12382
      "48 b8 f0 de bc 9a 78 56 34 12", // movabs rax,0x123456789abcdef0
      "b8 78 56 34 12", // mov eax,0x12345678
      "66 b8 34 12", // mov ax,0x1234
      "a0 88 77 66 55 44 33 22 11", // movabs al,ds:0x1122334455667788
      "c7 44 24 08 44 33 22 11", // mov DWORD PTR [rsp+0x8],0x11223344
      "66 c7 44 24 08 22 11", // mov WORD PTR [rsp+0x8],0x1122
      "48 c7 84 cd 44 33 22 11 01 00 00 00", // mov QWORD PTR [rbp+rcx*8+0x11223344],0x1
      "f6 c1 07", // test cl,0x7
      "f7 c1 44 33 22 11", // test ecx,0x11223344
      "66 f7 c1 22 11", // test cx,0x1122
      "48 f7 d0", // not rax
      "48 f7 1b", // neg QWORD PTR [rbx]
      "6b c1 40", // imul eax,ecx,0x40
      "69 c1 00 40 00 00", // imul eax,ecx,0x4000
      "c8 10 00 01", // enter 0x10,0x1
      "e8 fb 00 00 00", // call 0x195
      "e9 fb 00 00 00", // jmp 0x19a
      "ff e0", // jmp rax
      "ff 24 c5 00 10 40 00", // jmp QWORD PTR [rax*8+0x401000]
      "ff 53 18", // call QWORD PTR [rbx+0x18]
      "f0 48 0f b1 0f", // lock cmpxchg QWORD PTR [rdi],rcx
      "91", // xchg ecx,eax
      "cc", // int3
      "0f 0b", // ud2
      "0f 05", // syscall
      "0f a2", // cpuid
      "0f 31", // rdtsc
      "f3 90", // pause
      "0f ae e8", // lfence
      "0f ae f0", // mfence
      "0f 10 06", // movups xmm0,XMMWORD PTR [rsi]
      "f3 46 0f 6f 7c 0e 20", // movdqu xmm15,XMMWORD PTR [rsi+r9*1+0x20]
      "66 0f 70 c1 1b", // pshufd xmm0,xmm1,0x1b
      "66 0f 3a 0f c1 04", // palignr xmm0,xmm1,0x4
      "66 0f 3a 61 07 0c", // pcmpestri xmm0,XMMWORD PTR [rdi],0xc
      "66 0f 38 dc c1", // aesenc xmm0,xmm1
      "66 0f 3a 44 c1 11", // pclmulhqhqdq xmm0,xmm1
      "f2 0f 38 f0 06", // crc32 eax,BYTE PTR [rsi]
      "f3 48 0f b8 c3", // popcnt rax,rbx
      "f3 48 0f bc c3", // tzcnt rax,rbx
      "0f ba e0 03", // bt eax,0x3
      "0f a4 c8 04", // shld eax,ecx,0x4
      "48 0f 42 c3", // cmovb rax,rbx
      "0f 94 c0", // sete al
      "0f b6 06", // movzx eax,BYTE PTR [rsi]
      "48 0f c8", // bswap rax
      "c5 f8 77", // vzeroupper
      "c5 fe 6f 06", // vmovdqu ymm0,YMMWORD PTR [rsi]
      "c5 fd 74 4f 20", // vpcmpeqb ymm1,ymm0,YMMWORD PTR [rdi+0x20]
      "c5 fd d7 c1", // vpmovmskb eax,ymm1
      "c5 fd 70 c1 1b", // vpshufd ymm0,ymm1,0x1b
      "c4 e3 75 46 c2 20", // vperm2i128 ymm0,ymm1,ymm2,0x20
      "c5 f9 ef c0", // vpxor xmm0,xmm0,xmm0
      "62 f1 fe 48 6f 06", // vmovdqu64 zmm0,ZMMWORD PTR [rsi]
      "62 f3 75 48 25 c2 ff", // vpternlogd zmm0,zmm1,zmm2,0xff
      "62 f1 7d 48 74 4f 01", // vpcmpeqb k1,zmm0,ZMMWORD PTR [rdi+0x40]
      "c4 e1 fb 93 c1", // kmovq rax,k1
      "62 a1 7d 40 ef c0", // vpxord zmm16,zmm16,zmm16
      "c4 e2 e0 f2 c1", // andn rax,rbx,rcx
      "c4 e2 f1 f7 c3", // shlx rax,rbx,rcx
      "c4 e3 fb f0 c3 07", // rorx rax,rbx,0x7
      "f3 0f 1e fa", // endbr64
      "f3 a4", // rep movs BYTE PTR es:[rdi],BYTE PTR ds:[rsi]
      "f3 48 ab", // rep stos QWORD PTR es:[rdi],rax
      "48 63 41 04", // movsxd rax,DWORD PTR [rcx+0x4]
      "6a 12", // push 0x12
      "68 78 56 34 12", // push 0x12345678
      "8f 00", // pop QWORD PTR [rax]
      "dd 44 24 08", // fld QWORD PTR [rsp+0x8]
      "d9 3c 24", // fnstcw WORD PTR [rsp]
      "c7 f8 1a 00 00 00", // xbegin 0x197
      "c6 f8 03", // xabort 0x3
      "14 01", // adc al,0x1
      "1d 44 33 22 11", // sbb eax,0x11223344
      "e2 0e", // loop 0x197
      "e3 0e", // jrcxz 0x199
      "e4 60", // in al,0x60
      "cd 80", // int 0x80
      "48 0f c7 f0", // rdrand rax
      "0f 01 d0", // xgetbv
      "0f 18 08", // prefetcht0 BYTE PTR [rax]
      "48 0f c7 0f", // cmpxchg16b OWORD PTR [rdi]
      "64 48 89 0c 25 f8 ff ff ff", // mov QWORD PTR fs:0xfffffffffffffff8,rcx
      "64 48 8b 0c 25 f8 ff ff ff", // mov rcx,QWORD PTR fs:0xfffffffffffffff8
      "67 8b 00", // mov eax,DWORD PTR [eax]
      "8f e8 78 c2 c1 05", // vprotd xmm0,xmm1,0x5
      "8f e8 70 a2 c2 30", // vpcmov xmm0,xmm1,xmm2,xmm3
      "8f ea f8 10 c3 44 33 22 11", // bextr rax,rbx,0x11223344
      "66 0f 78 c0 04 05", // extrq xmm0,0x4,0x5
      "f2 0f 78 c1 04 05", // insertq xmm0,xmm1,0x4,0x5
      "0f 0f c1 9e", // pfadd mm0,mm1
      "67 a3 44 33 22 11", // addr32 mov ds:0x11223344,eax
      "62 f5 74 48 58 c2", // vaddph zmm0,zmm1,zmm2
      "48 ff e0" // rex.W jmp rax
    );
  }

  @ParameterizedTest
  @MethodSource("gnuAssembled")
  void instructionLength_matchesGnuAssembler(String hex) {
    byte[] insn = hex(hex);
    // Trailing bytes must not change the answer: the decoder may not read past the instruction.
    byte[] padded = new byte[insn.length + 16];
    System.arraycopy(insn, 0, padded, 0, insn.length);
    java.util.Arrays.fill(padded, insn.length, padded.length, (byte) 0xc3);

    assertThat(X86Decoder.instructionLength(padded, 0)).isEqualTo(insn.length);
    assertThat(X86Decoder.instructionLength(insn, 0)).isEqualTo(insn.length);
  }

  @Test
  void instructionLength_invalidIn64BitModeThrows() {
    for (String hex : List.of("06", "27", "60", "9a 00 00 00 00 00 00", "d6", "ea 00 00 00 00 00 00", "0f 04", "0f 0a",
        "0f 24 c0", "48 c5 f8 77", "66 62 f1 7d 48 6f 06", "ce", "82 c0 01")) {
      assertThatThrownBy(() -> X86Decoder.instructionLength(hex(hex), 0)).as(hex)
          .isInstanceOf(GoBinaryException.class)
          .hasMessageContaining("cannot decode instruction");
    }
  }

  @Test
  void instructionLength_truncatedInstructionThrows() {
    assertThatThrownBy(() -> X86Decoder.instructionLength(hex("48 8b 05 45 23"), 0))
        .isInstanceOf(GoBinaryException.class)
        .hasMessageContaining("runs past the end");
    assertThatThrownBy(() -> X86Decoder.instructionLength(hex("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90"), 0))
        .isInstanceOf(GoBinaryException.class)
        .hasMessageContaining("prefixes");
  }

  @Test
  void ripReferences_targetIsTheNextInstructionPlusDisplacement() {
    // mov rax,[rip+0x10]; movl [rip+0x20],0x1 (imm32 after the disp32); mov rax,[rsp+8]; incl [rip-0x4]
    byte[] code = hex("48 8b 05 10 00 00 00 c7 05 20 00 00 00 01 00 00 00 48 8b 44 24 08 ff 05 fc ff ff ff");
    long entry = 0x401000;

    long[] targets = RipReferences.find(ByteView.of(ByteBuffer.wrap(code), "code", "machine code"), entry);

    assertThat(targets).containsExactly(entry + 7 + 0x10, entry + 17 + 0x20, entry + 28 - 4);
  }

  @Test
  void returnOffsets_ignoresC3BytesInsideInstructions() {
    // mov eax, 0xc3; mov rax, [rip+0xc3c3c3c3]; ret
    byte[] code = hex("b8 c3 00 00 00 48 8b 05 c3 c3 c3 c3 c3");

    assertThat(X86Decoder.returnOffsets(code)).containsExactly(12);
  }

  @Test
  void returnOffsets_findsEveryReturnPath() {
    // cmp rsp,[r14+16]; jbe +3; ret; ret 8; int3
    byte[] code = hex("49 3b 66 10 76 04 c3 c2 08 00 cc");

    assertThat(X86Decoder.returnOffsets(code)).containsExactly(6, 7);
  }

  /**
   * crypto/internal/boring/sig (Go 1.19-1.27) jumps over marker bytes to its RET; a linear
   * sweep swallows that RET into a bogus instruction, so control flow must be followed.
   */
  @Test
  void returnOffsets_followsJumpsOverEmbeddedData() {
    String start = "eb 1d f4 48 f4 4b f4 ";
    byte[] standardCrypto = hex(start + "ba ee 4d fa 98 51 ca 56 a9 11 45 e8 3e 99 c5 9c f9 11 cb 8e 80 da f1 2f c3");
    byte[] boringCrypto = hex(start + "b3 32 f5 28 13 a3 b4 50 d4 41 cc 24 85 f0 01 45 4e 92 10 1b 1d 2f 19 50 c3");
    byte[] fipsOnly = hex(start + "36 3c b9 ce 9d 68 04 7d 31 f2 8d 32 5d 5c a5 87 3f 5d 80 ca f6 d6 15 1b c3");

    assertThat(X86Decoder.returnOffsets(standardCrypto)).containsExactly(31);
    assertThat(X86Decoder.returnOffsets(boringCrypto)).containsExactly(31);
    assertThat(X86Decoder.returnOffsets(fipsOnly)).as("CE is invalid: the sweep fails").containsExactly(31);
  }

  @Test
  void returnOffsets_refusesEmbeddedDataWithAnIndirectJump() {
    // jmp +1 over a data byte that makes the sweep disagree, then jmp rax: targets unknown.
    byte[] code = hex("eb 01 b8 ff e0 c3");

    assertThatThrownBy(() -> X86Decoder.returnOffsets(code))
        .isInstanceOf(GoBinaryException.class)
        .hasMessageContaining("indirect jump");
  }

  @Test
  void returnOffsets_randomBytesOnlyThrowGoBinaryException() {
    Random random = new Random(7);
    byte[] code = new byte[256];
    for (int i = 0; i < 20_000; i++) {
      random.nextBytes(code);
      try {
        for (long r : X86Decoder.returnOffsets(code)) {
          int p = (int) r;
          while (isPrefix(code[p] & 0xff)) {
            p++; // e.g. "rep ret", "rex ret": the offset is the instruction's first byte
          }
          assertThat(code[p] & 0xff).isIn(0xc3, 0xc2);
        }
      } catch (GoBinaryException expected) {
        // undecodable garbage
      }
    }
  }

  /**
   * Every instruction boundary of every Go function agrees with GNU objdump, which decodes VEX
   * correctly (go tool objdump does not: it reads VZEROUPPER as 4 bytes and, in 1.24, VEX
   * opcodes as legacy ones).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("objdumpBuilds")
  void instructionLength_everyGoFunctionAgreesWithGnuObjdump(Build b) throws IOException, InterruptedException {
    GoBinary bin = GoBinary.open(b.path());
    byte[] file = Files.readAllBytes(b.path());
    ElfSection text = bin.elf().section(".text").orElseThrow();
    BitSet gnu = gnuObjdumpStarts(b, text);
    BitSet ours = new BitSet();
    Pclntab t = bin.pclntab();
    long first = t.entry(0);
    long last = t.end(t.functionCount() - 1);
    for (int i = 0; i < t.functionCount(); i++) {
      long entry = t.entry(i);
      int off = (int) bin.fileOffset(entry);
      byte[] code = java.util.Arrays.copyOfRange(file, off, off + (int) (t.end(i) - entry));
      for (int p = 0; p < code.length; p += X86Decoder.instructionLength(code, p)) {
        ours.set((int) (entry - text.addr()) + p);
      }
    }
    BitSet gnuInGo = gnu.get((int) (first - text.addr()), (int) (last - text.addr()));
    BitSet oursInGo = ours.get((int) (first - text.addr()), (int) (last - text.addr()));

    assertThat(oursInGo.cardinality()).isGreaterThan(100_000);
    BitSet diff = (BitSet) oursInGo.clone();
    diff.xor(gnuInGo);
    assertThat(diff.isEmpty()).as("first disagreement at .text+0x%x", diff.nextSetBit(0) + first - text.addr()).isTrue();
  }

  static Stream<Build> objdumpBuilds() {
    return Stream.of(GoBuilds.build(Toolchain.GO_1_19, Variant.DEFAULT), GoBuilds.build(Toolchain.GO_1_24, Variant.CGO),
        GoBuilds.build(Toolchain.GO_1_27, Variant.PIE));
  }

  private static BitSet gnuObjdumpStarts(Build b, ElfSection text) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("objdump", "-d", "--no-show-raw-insn", "-j", ".text", b.path().toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new AssertionError("GNU objdump is missing: it comes with binutils, which gcc needs; run `sudo bash scripts/setup.sh`", e);
    }
    BitSet starts = new BitSet();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      for (String line; (line = r.readLine()) != null; ) {
        int colon = line.indexOf(':');
        if (line.startsWith(" ") && colon > 0 && line.length() > colon + 1 && line.charAt(colon + 1) == '\t') {
          starts.set((int) (Long.parseLong(line.substring(0, colon).trim(), 16) - text.addr()));
        }
      }
    }
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("GNU objdump (binutils, installed with gcc by scripts/setup.sh)").isZero();
    return starts;
  }

  private static boolean isPrefix(int b) {
    return (b & 0xf0) == 0x40 || b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36
        || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65;
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }
}
