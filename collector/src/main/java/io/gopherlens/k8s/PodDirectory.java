package io.gopherlens.k8s;

import io.opentelemetry.api.common.Attributes;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pods of this node by container id, fed by {@link PodWatcher} and read on every metric
 * export. Bounded at {@link #MAX_PODS}; further pods are refused and counted. Readers see an
 * immutable snapshot, rebuilt on each change (pods change rarely; scrapes are frequent).
 */
public final class PodDirectory {
  /** Far above the kubelet's default of 110 pods per node. */
  static final int MAX_PODS = 1024;

  private final Map<String, PodInfo> byUid = new LinkedHashMap<>();
  private volatile Map<String, Attributes> byContainer = Map.of();
  private final AtomicLong podsDropped = new AtomicLong();
  private final AtomicLong labelsDropped = new AtomicLong();

  /** Replaces everything with a fresh list (after a list call or a relist). */
  synchronized void replaceAll(Collection<PodInfo> pods) {
    Map<String, PodInfo> known = new HashMap<>(byUid);
    byUid.clear();
    for (PodInfo p : pods) {
      add(p, known.containsKey(p.uid()));
    }
    rebuild();
  }

  public synchronized void upsert(PodInfo pod) {
    add(pod, byUid.containsKey(pod.uid()));
    rebuild();
  }

  synchronized void remove(String uid) {
    if (byUid.remove(uid) != null) {
      rebuild();
    }
  }

  /** The container's k8s.* attributes, empty when the container is not known (yet). */
  public Attributes of(String containerId) {
    return byContainer.getOrDefault(containerId, Attributes.empty());
  }

  /** Adds the k8s.* attributes of the container that {@code attributes}' container.id names. */
  public Attributes enrich(Attributes attributes) {
    String id = attributes.get(PodAttributes.CONTAINER_ID);
    if (id == null) {
      return attributes;
    }
    Attributes pod = of(id);
    return pod.isEmpty() ? attributes : attributes.toBuilder().putAll(pod).build();
  }

  public synchronized int size() {
    return byUid.size();
  }

  /** Pods refused because {@link #MAX_PODS} were already known. */
  public long podsDropped() {
    return podsDropped.get();
  }

  /** Labels left off pods that had more than {@link PodInfo#MAX_LABELS}, counted once per pod. */
  public long labelsDropped() {
    return labelsDropped.get();
  }

  private void add(PodInfo pod, boolean known) {
    if (!known && byUid.size() >= MAX_PODS) {
      podsDropped.incrementAndGet();
      return;
    }
    if (!known) {
      labelsDropped.addAndGet(pod.labelsDropped());
    }
    byUid.put(pod.uid(), pod);
  }

  private void rebuild() {
    Map<String, Attributes> next = new HashMap<>();
    for (PodInfo p : byUid.values()) {
      next.putAll(p.containers());
    }
    byContainer = Map.copyOf(next);
  }
}
