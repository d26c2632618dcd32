package io.gopherlens.gomaps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MapSitesTest {
  @Test
  void of_moreSitesThanTopN_biggestKeptRestSummedUnderOther() {
    List<TrackedMap> maps = List.of(
        map(1, 0x10, "a", 100, 10, 1000),
        map(1, 0x20, "a", 50, 5, 500), // same site: summed
        map(1, 0x30, "b", 120, 1, 100),
        map(1, 0x40, "c", 10, 2, 80),
        map(1, 0x50, "d", 20, 3, 90),
        map(2, 0x10, "z", 1, 1, 8)); // another process: its own top N

    MapSites.Summary s = MapSites.of(maps, 2);

    assertThat(s.sites()).containsExactlyInAnyOrder(
        new MapSites.Site(1, "a", 150, 15, 1500, 2),
        new MapSites.Site(1, "b", 120, 1, 100, 1),
        new MapSites.Site(1, MapSites.OTHER, 30, 5, 170, 2),
        new MapSites.Site(2, "z", 1, 1, 8, 1));
    assertThat(s.folded()).isEqualTo(2);
  }

  @Test
  void of_unknownSize_countsItsLowerBound() {
    TrackedMap unknown = new TrackedMap(1, 0x10, "classic", "g", 0, new MapState(5, 1 << 20, 0, -1, 1, 2, false));
    assertThat(MapSites.of(List.of(unknown), 10).sites()).singleElement()
        .satisfies(site -> assertThat(site.bytes()).isEqualTo((1 << 20) * MapState.MIN_BYTES_PER_SLOT));
  }

  private static TrackedMap map(int pid, long address, String site, long bytes, long entries, long capacity) {
    return new TrackedMap(pid, address, "swiss", site, 0, new MapState(entries, capacity, 0, bytes, 1, 2, false));
  }
}
