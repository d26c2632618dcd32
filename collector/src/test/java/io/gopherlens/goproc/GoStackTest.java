package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stack symbolization against {@code go tool addr2line} of the same toolchain, at the return
 * address of every call in the map workload's own functions and the runtime's map growth
 * paths (inlined calls included), on the default build and on the stripped one.
 */
class GoStackTest {
  private static final List<String> FUNCTIONS =
      List.of("main.fillCache", "main.churnSmall", "main.main", "runtime.mapassign_fast64", "runtime.hashGrow",
          "internal/runtime/maps.(*table).split", "internal/runtime/maps.(*table).rehash");

  @ParameterizedTest(name = "go {0}")
  @EnumSource(GoToolchain.class)
  void symbolize_everyCallReturnAddress_matchesAddr2line(GoToolchain go) throws Exception {
    Path workload = GoToolchain.workload("mapgrowth");
    GoBinary full = GoBinary.open(go.build(workload, Variant.DEFAULT));
    GoBinary stripped = GoBinary.open(go.build(workload, Variant.STRIPPED));
    long[] returns = callReturnAddresses(full);
    List<String> truth = addr2line(go, go.build(workload, Variant.DEFAULT), returns);

    assertThat(returns.length).as("calls found").isGreaterThan(50);
    assertThat(stripped.function("main.fillCache").orElseThrow().entryVa())
        .as("stripping keeps the text layout").isEqualTo(full.function("main.fillCache").orElseThrow().entryVa());
    assertThat(render(GoStack.symbolize(full, 0, returns))).containsExactlyElementsOf(truth);
    assertThat(render(GoStack.symbolize(stripped, 0, returns))).containsExactlyElementsOf(truth);
  }

  @Test
  void symbolize_loadBiasIsSubtracted_andFirstUserFrameSkipsTheRuntime() {
    GoBinary bin = GoBinary.open(GoToolchain.GO_1_23.build(GoToolchain.workload("mapgrowth"), Variant.DEFAULT));
    long bias = 0x5555_0000_0000L;
    long inGrow = bin.function("runtime.hashGrow").orElseThrow().entryVa() + 0x20;
    long inFill = bin.function("main.fillCache").orElseThrow().entryVa() + 0x20;
    long[] stack = {inGrow + bias, 0x10, inFill + bias};
    List<SourceLocation> frames = GoStack.symbolize(bin, bias, stack);

    assertThat(frames).extracting(SourceLocation::function).containsExactly("runtime.hashGrow", "?", "main.fillCache");
    assertThat(GoStack.firstUserFrame(bin, bias, stack)).contains(frames.get(2));
    assertThat(GoStack.firstUserFrame(bin, bias, java.util.Arrays.copyOf(stack, 2))).isEmpty();
  }

  /** The address after each CALL in {@link #FUNCTIONS} that the binary has. */
  private static long[] callReturnAddresses(GoBinary bin) {
    List<Long> out = new ArrayList<>();
    for (String name : FUNCTIONS) {
      bin.function(name).ifPresent(fn -> {
        ByteView code = bin.elf().bytesAt(fn.entryVa(), fn.size(), name);
        for (long off = 0; off < code.size(); ) {
          long d = X86Decoder.decode(code, off);
          off += X86Decoder.length(d);
          if (X86Decoder.flow(d) == X86Decoder.FLOW_CALL) {
            out.add(fn.entryVa() + off);
          }
          if (code.u8(off - 1) == 0xcc && off < code.size() && code.u8(off) == 0xcc) {
            break; // INT3 padding after the last instruction
          }
        }
      });
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  private static List<String> render(List<SourceLocation> frames) {
    return frames.stream().map(f -> f.function() + " " + f.file() + ":" + f.line()).toList();
  }

  /** addr2line prints the function, then file:line, for each address (looked up at ret - 1). */
  private static List<String> addr2line(GoToolchain go, Path binary, long[] returns) throws Exception {
    Process p = new ProcessBuilder(go.goBinary().toString(), "tool", "addr2line", binary.toString())
        .redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      for (long r : returns) {
        in.write(("0x" + Long.toHexString(r - 1) + "\n").getBytes(StandardCharsets.US_ASCII));
      }
    }
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String fn = r.readLine(); fn != null; fn = r.readLine()) {
        out.add(fn + " " + r.readLine());
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("addr2line exit status").isZero();
    return out;
  }
}
