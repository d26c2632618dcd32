package io.gopherlens.goproc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-version offsets used when a binary has no DWARF, from the resource
 * {@value #RESOURCE}, keyed by Go minor version ("go1.24"): struct layouts do not change
 * within a minor release.
 *
 * <p>JSON rather than Java constants: every number sits next to the runtime field it names, so
 * a reviewer can check an entry against the runtime source, and RuntimeLayoutTableTest, which
 * compares each entry with the DWARF of a real build, prints the entry to paste when a toolchain
 * is added or an entry is wrong. Parsing is strict: a missing or unknown field fails the load.
 */
final class RuntimeLayoutTable {
  static final String RESOURCE = "runtime-layouts.json";
  private static final Pattern KEY = Pattern.compile("go1\\.(\\d{1,3})");

  /** One Go minor version; for 1.24 both map flavours exist (GOEXPERIMENT=noswissmap). */
  record Entry(RuntimeLayout.GcController gcController, RuntimeLayout.MemStats memStats,
      Optional<RuntimeLayout.ClassicMaps> classicMaps, Optional<RuntimeLayout.SwissMaps> swissMaps) {

    /** The layout of a binary of this version whose maps are {@code mapImplementation}. */
    RuntimeLayout layout(String mapImplementation) {
      boolean swiss = GoBinary.MAPS_SWISS.equals(mapImplementation);
      return new RuntimeLayout(gcController, memStats, swiss ? Optional.empty() : classicMaps,
          swiss ? swissMaps : Optional.empty());
    }
  }

  private static final class Holder {
    static final RuntimeLayoutTable TABLE = load();
  }

  private final NavigableMap<Integer, Entry> byMinor;

  private RuntimeLayoutTable(NavigableMap<Integer, Entry> byMinor) {
    this.byMinor = Collections.unmodifiableNavigableMap(byMinor);
  }

  /** The table shipped in the jar, loaded once. */
  static RuntimeLayoutTable get() {
    return Holder.TABLE;
  }

  private static RuntimeLayoutTable load() {
    try (InputStream in = RuntimeLayoutTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
      }
      return parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Parses the table; a malformed table is a build defect, reported as IllegalStateException. */
  static RuntimeLayoutTable parse(JsonNode root) {
    NavigableMap<Integer, Entry> byMinor = new TreeMap<>();
    if (!root.isObject()) {
      throw new IllegalStateException(RESOURCE + " is not a JSON object");
    }
    for (Map.Entry<String, JsonNode> f : root.properties()) {
      if (f.getKey().equals("comment")) {
        continue;
      }
      Matcher m = KEY.matcher(f.getKey());
      if (!m.matches()) {
        throw new IllegalStateException(RESOURCE + ": key '" + f.getKey() + "' is neither \"comment\" nor go1.N");
      }
      byMinor.put(Integer.parseInt(m.group(1)), entry(f.getValue(), f.getKey()));
    }
    return new RuntimeLayoutTable(byMinor);
  }

  Optional<Entry> entry(GoVersion v) {
    return v.major() == 1 ? Optional.ofNullable(byMinor.get(v.minor())) : Optional.empty();
  }

  /** The versions the table covers, oldest first, e.g. [go1.19, go1.22]. */
  List<String> versions() {
    List<String> out = new ArrayList<>();
    byMinor.keySet().forEach(minor -> out.add(key(minor)));
    return out;
  }

  /** The covered versions closest below and above {@code v}, for "unsupported" messages. */
  List<String> nearest(GoVersion v) {
    List<String> out = new ArrayList<>();
    if (v.major() != 1) {
      return out;
    }
    Integer below = byMinor.lowerKey(v.minor());
    Integer above = byMinor.higherKey(v.minor());
    if (below != null) {
      out.add(key(below));
    }
    if (above != null) {
      out.add(key(above));
    }
    return out;
  }

  static String key(int minor) {
    return "go1." + minor;
  }

  /** An entry as the JSON object the resource holds, for tests to print. */
  static ObjectNode toJson(Entry e) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("gcController", toJson(e.gcController()));
    o.set("memStats", toJson(e.memStats()));
    e.classicMaps().ifPresent(c -> o.set("classicMaps", toJson(c)));
    e.swissMaps().ifPresent(s -> o.set("swissMaps", toJson(s)));
    return o;
  }

  private static Entry entry(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new IllegalStateException(RESOURCE + ": " + where + " is not an object");
    }
    Set<String> allowed = Set.of("gcController", "memStats", "classicMaps", "swissMaps");
    rejectUnknown(node, allowed, where);
    return new Entry(
        record(required(node, "gcController", where), RuntimeLayout.GcController.class, where + ".gcController"),
        record(required(node, "memStats", where), RuntimeLayout.MemStats.class, where + ".memStats"),
        Optional.ofNullable(node.get("classicMaps"))
            .map(n -> record(n, RuntimeLayout.ClassicMaps.class, where + ".classicMaps")),
        Optional.ofNullable(node.get("swissMaps"))
            .map(n -> record(n, RuntimeLayout.SwissMaps.class, where + ".swissMaps")));
  }

  private static JsonNode required(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null) {
      throw new IllegalStateException(RESOURCE + ": " + where + " has no " + field);
    }
    return v;
  }

  /** A record of int offsets from an object with exactly its component names. */
  private static <R extends Record> R record(JsonNode node, Class<R> type, String where) {
    RecordComponent[] components = type.getRecordComponents();
    Set<String> names = new HashSet<>();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      String name = components[i].getName();
      names.add(name);
      types[i] = components[i].getType();
      JsonNode v = node.get(name);
      if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0) {
        throw new IllegalStateException(RESOURCE + ": " + where + "." + name + " must be a non-negative integer");
      }
      args[i] = v.intValue();
    }
    rejectUnknown(node, names, where);
    try {
      Constructor<R> ctor = type.getDeclaredConstructor(types);
      return ctor.newInstance(args);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName() + " for " + where, e);
    }
  }

  private static ObjectNode toJson(Record r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      try {
        o.put(c.getName(), (int) c.getAccessor().invoke(r));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + c.getName(), e);
      }
    }
    return o;
  }

  private static void rejectUnknown(JsonNode node, Set<String> allowed, String where) {
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      String name = f.getKey();
      if (!allowed.contains(name)) {
        throw new IllegalStateException(RESOURCE + ": " + where + " has unknown field " + name);
      }
    }
  }
}
