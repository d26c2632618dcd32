package io.gopherlens.gomaps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gopherlens.goproc.GoBinary;
import io.gopherlens.goruntime.ProcessMemory;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import io.gopherlens.testing.Workload;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Maps read from outside against the Go program's own len(m), its runtime structures read
 * through unsafe (buckets, tables) and the heap growth runtime.MemStats saw while each map was
 * built, for every installed toolchain, stripped and not. Needs root (/proc/PID/mem).
 */
class MapReaderGroundTruthTest {
  static Stream<Arguments> builds() {
    return Stream.of(GoToolchain.values())
        .flatMap(go -> Stream.of(Arguments.of(go, Variant.DEFAULT), Arguments.of(go, Variant.STRIPPED)));
  }

  @ParameterizedTest(name = "go {0} {1}")
  @MethodSource("builds")
  void read_mapsOfKnownSize_entriesAndCapacityExactBytesMatchHeapGrowth(GoToolchain go, Variant variant)
      throws Exception {
    Path binary = go.build(GoToolchain.workload("mapsizes"), variant);
    try (Workload workload = Workload.start(binary)) {
      workload.next();
      workload.proceed();
      JsonNode built = workload.next();
      int pid = workload.pid();
      GoBinary exe = GoBinary.open(Path.of("/proc", Integer.toString(pid), "exe"));
      MapReader.Result result = MapReader.forBinary(exe);
      assertThat(result.reader()).as("map reader for go%s %s: %s", go.version, variant, result.detail()).isPresent();
      MapReader reader = result.reader().get();
      assertThat(reader.implementation())
          .isEqualTo(go.compareTo(GoToolchain.GO_1_24) >= 0 ? GoBinary.MAPS_SWISS : GoBinary.MAPS_CLASSIC);

      try (ProcessMemory mem = ProcessMemory.open(pid)) {
        for (JsonNode m : built.get("maps")) {
          MapState s = check(reader, mem, m, go, variant, "built");
          String name = m.get("name").asText();
          // fillStrings' keys ("key-%08d", 12 bytes) are heap objects of their own, 16 bytes each.
          long keyBytes = name.equals("main.fillStrings") ? 16L * m.get("len").asLong() : 0;
          // Within 1%, or 256 bytes for small maps: the runtime allocates a little on its own meanwhile.
          long expected = m.get("heap_bytes").asLong() - keyBytes;
          assertThat(s.bytes()).as("%s bytes vs heap growth", name)
              .isCloseTo(expected, Offset.offset(Math.max(expected / 100, 256L)));
          checkInferred(reader, mem, m);
        }
        long[] bytesBefore = built.get("maps").findValues("addr").stream()
            .mapToLong(a -> readBytes(reader, mem, built, a.asLong())).toArray();

        workload.proceed();
        JsonNode deleted = workload.next();
        int i = 0;
        for (JsonNode m : deleted.get("maps")) {
          MapState s = check(reader, mem, m, go, variant, "deleted");
          checkInferred(reader, mem, m);
          assertThat(s.bytes()).as("%s keeps its storage after deletes", m.get("name").asText())
              .isEqualTo(bytesBefore[i++]);
        }
        assertThat(deleted.get("maps").get(0).get("len").asLong()).as("deletes happened").isEqualTo(50_000);
      }
    }
  }

  private static MapState check(MapReader reader, ProcessMemory mem, JsonNode m, GoToolchain go, Variant variant,
      String phase) throws MapReadException {
    MapType type = reader.readType(mem, m.get("type").asLong());
    MapState s = reader.read(mem, m.get("addr").asLong(), Optional.of(type));
    System.out.printf("map-ground-truth go%s %s %s %s: entries %d/%d capacity %d/%d bytes %d (heap growth %d)"
            + " overflow %d unit %d%n", go.version, variant, phase, m.get("name").asText(), s.entries(),
        m.get("len").asLong(), s.capacity(), m.get("capacity").asLong(), s.bytes(), m.get("heap_bytes").asLong(),
        s.overflowBuckets(), type.unitSize());
    assertThat(s.entries()).as("%s entries = len(m)", m.get("name").asText()).isEqualTo(m.get("len").asLong());
    assertThat(s.capacity()).as("%s capacity", m.get("name").asText()).isEqualTo(m.get("capacity").asLong());
    return s;
  }

  /**
   * Without the type, the size comes from the storage: classic while preallocated overflow
   * buckets remain (fillInts: 4,000-odd overflows of 16,384), Swiss from the control words of
   * any map with tables.
   */
  private static void checkInferred(MapReader reader, ProcessMemory mem, JsonNode m) throws MapReadException {
    String name = m.get("name").asText();
    boolean expected = reader instanceof ClassicMapReader ? name.equals("main.fillInts") : !name.equals("main.fillSmall");
    if (expected) {
      assertThat(reader.inferType(mem, m.get("addr").asLong())).as("%s size inferred from its storage", name)
          .hasValueSatisfying(t -> assertThat(t.unitSize())
              .isEqualTo(readTypeUnchecked(reader, mem, m.get("type").asLong()).unitSize()));
    }
  }

  private static MapType readTypeUnchecked(MapReader reader, ProcessMemory mem, long type) {
    try {
      return reader.readType(mem, type);
    } catch (MapReadException e) {
      throw new AssertionError(e);
    }
  }

  private static long readBytes(MapReader reader, ProcessMemory mem, JsonNode built, long addr) {
    for (JsonNode m : built.get("maps")) {
      if (m.get("addr").asLong() == addr) {
        try {
          return reader.read(mem, addr, Optional.of(reader.readType(mem, m.get("type").asLong()))).bytes();
        } catch (MapReadException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no map at " + addr);
  }
}
