package io.gopherlens.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {
  @Test
  void encode_anyChars_sameBytesAsGetBytes() {
    SplittableRandom random = new SplittableRandom(7);
    String[] fixed = {"", "ascii", "ünïcode ✓", "🐹 gopher", "lone \ud800 high", "lone \udc00 low", "end \ud83d"};
    for (String s : fixed) {
      check(s);
    }
    for (int n = 0; n < 10_000; n++) {
      char[] chars = new char[random.nextInt(20)];
      for (int i = 0; i < chars.length; i++) {
        int kind = random.nextInt(4);
        chars[i] = (char) (kind == 0 ? random.nextInt(0x80) : kind == 1 ? random.nextInt(0x800) : kind == 2 ? 0xd800 + random.nextInt(0x800) : random.nextInt(0x10000));
      }
      check(new String(chars));
    }
  }

  private static void check(String s) {
    byte[] expected = s.getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.encodedLength(s)).as("length of %s", s).isEqualTo(expected.length);
    byte[] actual = new byte[expected.length];
    assertThat(Utf8.encode(s, actual, 0)).isEqualTo(expected.length);
    assertThat(Arrays.equals(actual, expected)).as("bytes of %s", s).isTrue();
  }
}
