package io.gopherlens.goproc;

import static io.gopherlens.goproc.X86DecoderTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoPrologueTest {
  @Test
  void uprobeOffset_smallFrameIsTheJbeAfterCmp() {
    assertThat(GoPrologue.uprobeOffset(hex("49 3b 66 10 76 32 55 48 89 e5"))).isEqualTo(4);
    assertThat(GoPrologue.uprobeOffset(hex("49 3b 66 10 0f 86 32 05 00 00 48 83 c4 80"))).isEqualTo(4);
  }

  @Test
  void uprobeOffset_largeFrameSkipsLeaAndCmp() {
    assertThat(GoPrologue.uprobeOffset(hex("4c 8d 64 24 90 4d 3b 66 10 0f 86 a9 06 00 00 55"))).isEqualTo(9);
    assertThat(GoPrologue.uprobeOffset(hex("4c 8d a4 24 70 ff ff ff 4d 3b 66 10 0f 86 69 07 00 00"))).isEqualTo(12);
  }

  @Test
  void uprobeOffset_systemstackFunctionsCheckStackguard1() {
    // Go 1.27 runtime.stopTheWorldWithSema: LEAQ -0x18(SP), R12; CMPQ R12, 24(R14); JBE
    assertThat(GoPrologue.uprobeOffset(hex("4c 8d 64 24 e8 4d 3b 66 18 0f 86 0e 04 00 00 55"))).isEqualTo(9);
    assertThat(GoPrologue.uprobeOffset(hex("49 3b 66 18 76 10"))).isEqualTo(4);
    assertThat(GoPrologue.uprobeOffset(hex("49 3b 66 20 76 10"))).as("not a stack guard").isZero();
  }

  @Test
  void uprobeOffset_hugeFrameSkipsUnderflowCheck() {
    // MOVQ SP, R12; SUBQ $0x1738, R12; JCS; CMPQ R12, 16(R14); JBE
    assertThat(GoPrologue.uprobeOffset(hex("49 89 e4 49 81 ec 38 17 00 00 0f 82 f8 00 00 00 4d 3b 66 10 0f 86 ee 00 00 00")))
        .isEqualTo(20);
    assertThat(GoPrologue.uprobeOffset(hex("49 89 e4 49 83 ec 10 72 08 4d 3b 66 10 76 04"))).isEqualTo(13);
  }

  @Test
  void uprobeOffset_anythingElseIsTheEntry() {
    assertThat(GoPrologue.uprobeOffset(hex("48 8d 04 40 c3"))).as("leaf, no check").isZero();
    assertThat(GoPrologue.uprobeOffset(hex("49 3b 66 10 74 32"))).as("CMP not followed by JBE").isZero();
    assertThat(GoPrologue.uprobeOffset(hex("49 3b 66 10"))).as("cut off").isZero();
    assertThat(GoPrologue.uprobeOffset(hex("64 48 8b 0c 25 f8 ff ff ff 48 3b 61 10 76 10"))).as("g from TLS (ABI0)").isZero();
    assertThat(GoPrologue.uprobeOffset(hex("49 89 e4 49 81 ec 38 17 00 00 4d 3b 66 10 76 04"))).as("huge without JCS").isZero();
    assertThat(GoPrologue.uprobeOffset(new byte[0])).isZero();
  }
}
