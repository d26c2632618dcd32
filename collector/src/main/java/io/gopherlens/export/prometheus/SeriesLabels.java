package io.gopherlens.export.prometheus;

import java.util.Arrays;

/**
 * The labels of one Prometheus series, {@code __name__} included, sorted by name as remote write
 * requires. Reused from series to series: valid only inside the {@link PrometheusSeries.Sink} call
 * that receives it.
 */
public final class SeriesLabels {
  private String[] names = new String[16];
  private String[] values = new String[16];
  private int size;

  public int size() {
    return size;
  }

  public String name(int i) {
    return names[i];
  }

  public String value(int i) {
    return values[i];
  }

  /** The value of label {@code name}, or null. */
  public String get(String name) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  void clear() {
    size = 0;
  }

  /** Adds a label unless one of that name is already there (the first one wins). */
  void add(String name, String value) {
    if (get(name) != null) {
      return;
    }
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    names[size] = name;
    values[size] = value;
    size++;
  }

  /** This set sorted by name into {@code out}, plus the series' own labels. */
  void copySortedTo(SeriesLabels out, String metricName, String extraName, String extraValue) {
    out.clear();
    for (int i = 0; i < size; i++) {
      out.add(names[i], values[i]);
    }
    out.add("__name__", metricName);
    if (extraName != null) {
      out.add(extraName, extraValue);
    }
    out.sort();
  }

  // Insertion sort: a series has a handful of labels, and this allocates nothing.
  private void sort() {
    for (int i = 1; i < size; i++) {
      String n = names[i];
      String v = values[i];
      int j = i - 1;
      while (j >= 0 && names[j].compareTo(n) > 0) {
        names[j + 1] = names[j];
        values[j + 1] = values[j];
        j--;
      }
      names[j + 1] = n;
      values[j + 1] = v;
    }
  }
}
