package io.gopherlens.goproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Keeps the per-version table honest (DESIGN.md decision 4): for every installed toolchain the
 * table entry must equal, field by field, the layout read from the DWARF of a real build, and a
 * stripped build of the same program must get exactly those values from the table. Go 1.24 is
 * also built with GOEXPERIMENT=noswissmap, whose classic maps the table covers too.
 */
class RuntimeLayoutTableTest {
  private static final Map<String, Path> EXTRA_BUILDS = new ConcurrentHashMap<>();

  static Path spine(GoToolchain go, Variant variant) {
    return go.build(GoToolchain.workload("spine"), variant);
  }

  @ParameterizedTest
  @EnumSource(GoToolchain.class)
  void table_defaultBuild_equalsDwarfFieldByField(GoToolchain go) throws Exception {
    assertTableMatchesDwarf(GoBinary.open(spine(go, Variant.DEFAULT)));
  }

  @Test
  void table_externallyLinkedCgoBuild_equalsDwarfFieldByField() throws Exception {
    assertTableMatchesDwarf(GoBinary.open(externallyLinkedCgo(GoToolchain.GO_1_24)));
  }

  @Test
  void table_noSwissMapBuildOfGo124_equalsDwarfFieldByField() throws Exception {
    GoBinary b = GoBinary.open(noSwissMap(GoToolchain.GO_1_24));
    assertThat(b.mapImplementation()).isEqualTo(GoBinary.MAPS_CLASSIC);
    RuntimeLayout fromDwarf = assertTableMatchesDwarf(b);
    // hmap grew a clearSeq field in front of extra under the experiment: not 1.23's layout.
    assertThat(fromDwarf.classicMaps().orElseThrow().hmapExtra()).isEqualTo(48);
  }

  @ParameterizedTest
  @EnumSource(GoToolchain.class)
  void forBinary_strippedBuild_usesTableWithTheDwarfValues(GoToolchain go) throws Exception {
    GoBinary full = GoBinary.open(spine(go, Variant.DEFAULT));
    GoBinary stripped = GoBinary.open(spine(go, Variant.STRIPPED));
    assertThat(stripped.hasDwarf()).isFalse();

    RuntimeLayoutResult r = RuntimeLayouts.forBinary(stripped);

    assertThat(r.supported()).as(r.detail()).isTrue();
    assertThat(r.source()).isEqualTo("table:go" + go.version);
    assertThat(r.detail()).startsWith("no DWARF");
    assertThat(r.layout().orElseThrow()).usingRecursiveComparison()
        .isEqualTo(RuntimeLayoutDwarf.extract(DwarfReader.open(full.elf()).orElseThrow(), full.mapImplementation()));
    assertThat(r.gcController()).isEmpty(); // learned from probe receivers at run time instead
  }

  @ParameterizedTest
  @EnumSource(GoToolchain.class)
  void forBinary_unstrippedBuild_usesDwarfAndGivesGlobalAddresses(GoToolchain go) {
    Path path = spine(go, Variant.DEFAULT);

    RuntimeLayoutResult r = RuntimeLayouts.forBinary(GoBinary.open(path));

    assertThat(r.source()).isEqualTo(RuntimeLayoutResult.DWARF);
    Map<String, Long> nm = DwarfReaderTest.nmData(go, path);
    assertThat(r.gcController()).hasValue(nm.get("runtime.gcController"));
    assertThat(r.memstats()).hasValue(nm.get("runtime.memstats"));
    assertThat(r.mheap()).hasValue(nm.get("runtime.mheap_"));
  }

  /** Atomic wrappers and sysMemStat must hold their value at their own offset 0, as documented. */
  @ParameterizedTest
  @EnumSource(GoToolchain.class)
  void dwarf_gcControllerFields_holdTheirValueAtOffsetZero(GoToolchain go) {
    DwarfReader dwarf = DwarfReader.open(GoBinary.open(spine(go, Variant.DEFAULT)).elf()).orElseThrow();
    DwarfStruct c = dwarf.struct(RuntimeLayoutDwarf.GC_CONTROLLER).orElseThrow();
    for (String field : List.of("gcPercent", "memoryLimit", "gcPercentHeapGoal", "sweepDistMinTrigger", "triggered",
        "heapLive", "heapMarked", "heapInUse", "heapReleased", "heapFree", "totalAlloc", "totalFree", "mappedReady")) {
      DwarfMember m = c.member(field).orElseThrow();
      Optional<DwarfStruct> wrapper = dwarf.struct(m.typeName());
      if (wrapper.isPresent()) {
        assertThat(wrapper.get().member("value")).as(m.typeName())
            .hasValueSatisfying(v -> {
              assertThat(v.offset()).isZero();
              assertThat(v.size()).isEqualTo(m.size());
            });
      } else {
        assertThat(m.typeName()).as(field).isIn("uint64", "int64", "runtime.sysMemStat");
      }
    }
  }

  /** A version in the table that no test builds would be an unchecked guess. */
  @Test
  void table_versions_areExactlyTheInstalledToolchains() {
    List<String> installed = new ArrayList<>();
    Arrays.stream(GoToolchain.values()).forEach(go -> installed.add("go" + go.version));
    assertThat(RuntimeLayoutTable.get().versions()).containsExactlyElementsOf(installed);
  }

  private static RuntimeLayout assertTableMatchesDwarf(GoBinary b) throws Exception {
    DwarfReader dwarf = DwarfReader.open(b.elf()).orElseThrow();
    String maps = b.mapImplementation();
    RuntimeLayout fromDwarf = RuntimeLayoutDwarf.extract(dwarf, maps);
    // The workload uses maps, so the comparison must cover a map layout.
    boolean mapsRead = maps.equals(GoBinary.MAPS_SWISS) ? fromDwarf.swissMaps().isPresent()
        : fromDwarf.classicMaps().isPresent();
    assertThat(mapsRead).as("%s map layout read from DWARF of %s", maps, b.elf().source()).isTrue();
    GoVersion v = b.version().orElseThrow();
    RuntimeLayoutTable.Entry fromBuild = new RuntimeLayoutTable.Entry(fromDwarf.gcController(), fromDwarf.memStats(),
        fromDwarf.classicMaps(), fromDwarf.swissMaps());
    String paste = "\"" + RuntimeLayoutTable.key(v.minor()) + "\": " + RuntimeLayoutTable.toJson(fromBuild).toPrettyString()
        + "\n(for go1.24 keep both classicMaps, from a GOEXPERIMENT=noswissmap build, and swissMaps)";
    Optional<RuntimeLayoutTable.Entry> entry = RuntimeLayoutTable.get().entry(v);
    assertThat(entry).as("%s has no entry for %s; from DWARF of %s:%n%s", RuntimeLayoutTable.RESOURCE, v,
        b.elf().source(), paste).isPresent();
    assertThat(entry.get().layout(maps))
        .as("%s entry for %s differs from the DWARF of %s; the DWARF says:%n%s", RuntimeLayoutTable.RESOURCE, v,
            b.elf().source(), paste)
        .usingRecursiveComparison()
        .isEqualTo(fromDwarf);
    return fromDwarf;
  }

  /** The spine workload built with classic maps (GoToolchain has no experiment variant). */
  static Path noSwissMap(GoToolchain go) {
    return extraBuild(go, "noswissmap", Map.of("CGO_ENABLED", "0", "GOEXPERIMENT", "noswissmap"));
  }

  /**
   * The spine workload with cgo, linked by the system linker: gcc's DWARF 5 units (strp and
   * line_strp names) mixed with Go's, the way cgo programs that import "C" are built.
   */
  static Path externallyLinkedCgo(GoToolchain go) {
    return extraBuild(go, "extlink", Map.of("CGO_ENABLED", "1"), "-ldflags=-linkmode=external");
  }

  private static Path extraBuild(GoToolchain go, String name, Map<String, String> extraEnv, String... flags) {
    return EXTRA_BUILDS.computeIfAbsent(go + "/" + name, k -> {
      Path cache = Path.of(System.getProperty("java.io.tmpdir"), "gopherlens-go-builds");
      Path out = cache.resolve("spine-" + go.version + "-" + name);
      List<String> cmd = new ArrayList<>(List.of(go.goBinary().toString(), "build", "-o", out.toString()));
      cmd.addAll(List.of(flags));
      cmd.add("main.go");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(GoToolchain.workload("spine").toFile())
          .redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put("GOROOT", go.goBinary().getParent().getParent().toString());
      env.put("GOCACHE", cache.resolve("gocache-" + go.version).toString());
      env.put("GOPATH", cache.resolve("gopath").toString());
      env.put("GO111MODULE", "off");
      env.put("GOFLAGS", "");
      env.put("GOTOOLCHAIN", "local");
      env.remove("GOEXPERIMENT");
      env.putAll(extraEnv);
      try {
        Files.createDirectories(cache);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException(name + " build with go " + go.version + " failed: " + log);
        }
        return out;
      } catch (IOException e) {
        throw new IllegalStateException("cannot run go " + go.version, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while building", e);
      }
    });
  }
}
