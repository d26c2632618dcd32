package io.gopherlens.gomaps;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tracked maps summed per process and allocation site, the top {@code topN} sites of each
 * process by bytes and the rest under {@value #OTHER}: the metric series stay bounded however
 * many sites a process has.
 */
final class MapSites {
  static final String OTHER = "_other";

  /** One series: a site's maps in one process. */
  record Site(int pid, String site, long bytes, long entries, long capacity, int maps) {
    Site plus(TrackedMap m) {
      return new Site(pid, site, bytes + m.state().bytesAtLeast(), entries + m.state().entries(),
          capacity + m.state().capacity(), maps + 1);
    }

    Site plus(Site o) {
      return new Site(pid, site, bytes + o.bytes, entries + o.entries, capacity + o.capacity, maps + o.maps);
    }
  }

  /** The series, and how many sites were folded into {@value #OTHER}. */
  record Summary(List<Site> sites, int folded) {}

  private MapSites() {}

  static Summary of(List<TrackedMap> maps, int topN) {
    Map<Integer, Map<String, Site>> byPid = new HashMap<>();
    for (TrackedMap m : maps) {
      byPid.computeIfAbsent(m.pid(), p -> new HashMap<>())
          .merge(m.site(), new Site(m.pid(), m.site(), 0, 0, 0, 0).plus(m), Site::plus);
    }
    List<Site> out = new ArrayList<>();
    int folded = 0;
    for (Map.Entry<Integer, Map<String, Site>> p : byPid.entrySet()) {
      List<Site> sites = new ArrayList<>(p.getValue().values());
      sites.sort(Comparator.comparingLong(Site::bytes).reversed().thenComparing(Site::site));
      out.addAll(sites.subList(0, Math.min(topN, sites.size())));
      if (sites.size() > topN) {
        Site other = new Site(p.getKey(), OTHER, 0, 0, 0, 0);
        for (Site s : sites.subList(topN, sites.size())) {
          other = other.plus(s);
        }
        out.add(other);
        folded += sites.size() - topN;
      }
    }
    return new Summary(out, folded);
  }
}
