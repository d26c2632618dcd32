package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Proves the leak check used by the server tests can see a leak at all. */
class LeakCaptureTest {

  @Test
  void drainAfterGc_deliberateLeak_isReported() throws Exception {
    try (LeakCapture capture = LeakCapture.install()) {
      String marker = "deliberate-leak-" + UUID.randomUUID();
      leak(marker);
      boolean seen = false;
      for (int i = 0; i < 50 && !seen; i++) {
        seen = capture.drainAfterGc(1).stream().anyMatch(l -> l.contains(marker));
      }
      assertThat(seen).as("Netty reported the deliberately leaked buffer").isTrue();
    }
  }

  private static void leak(String marker) {
    ByteBufAllocator.DEFAULT.directBuffer(16).writeInt(1).touch(marker);
  }
}
