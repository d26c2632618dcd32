package io.gopherlens.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the agent keeps of one pod from the API server's JSON: the attribute set of each of
 * its containers, keyed by container id (the id that ProcessMetadata reads from a cgroup).
 *
 * @param labelsDropped labels beyond {@link #MAX_LABELS} that were not turned into attributes
 */
public record PodInfo(String uid, String name, String namespace, String nodeName, Map<String, Attributes> containers, int labelsDropped) {
  /** Labels become one attribute each; a pod with hundreds would make every series huge. */
  static final int MAX_LABELS = 32;

  /** Parses a v1 Pod; fails with a message naming what is missing. */
  public static PodInfo parse(JsonNode pod) {
    JsonNode metadata = pod.path("metadata");
    String uid = metadata.path("uid").asText("");
    String name = metadata.path("name").asText("");
    String namespace = metadata.path("namespace").asText("");
    if (uid.isEmpty() || name.isEmpty()) {
      throw new IllegalArgumentException("pod without metadata.uid or metadata.name");
    }
    String node = pod.path("spec").path("nodeName").asText("");
    Map<String, String> labels = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.path("labels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      labels.put(e.getKey(), e.getValue().asText());
    }
    AttributesBuilder common =
        Attributes.builder()
            .put(PodAttributes.POD_NAME, name)
            .put(PodAttributes.POD_UID, uid)
            .put(PodAttributes.NAMESPACE, namespace);
    if (!node.isEmpty()) common.put(PodAttributes.NODE_NAME, node);
    for (Map.Entry<AttributeKey<String>, String> e : PodOwners.of(metadata, labels).entrySet()) {
      common.put(e.getKey(), e.getValue());
    }
    int kept = 0;
    for (Map.Entry<String, String> label : labels.entrySet()) {
      if (kept++ == MAX_LABELS) break;
      common.put(PodAttributes.LABEL_PREFIX + label.getKey(), label.getValue());
    }
    Attributes shared = common.build();
    Map<String, Attributes> containers = new LinkedHashMap<>();
    JsonNode status = pod.path("status");
    for (String list : new String[] {"initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"}) {
      for (JsonNode c : status.path(list)) {
        String id = containerId(c.path("containerID").asText(""));
        if (!id.isEmpty()) {
          containers.put(id, shared.toBuilder().put(PodAttributes.CONTAINER_NAME, c.path("name").asText("")).build());
        }
      }
    }
    return new PodInfo(uid, name, namespace, node, Map.copyOf(containers), Math.max(0, labels.size() - MAX_LABELS));
  }

  /** "containerd://abc" -> "abc"; runtimes prefix the id with their name. */
  private static String containerId(String runtimeId) {
    int scheme = runtimeId.indexOf("://");
    return scheme < 0 ? runtimeId : runtimeId.substring(scheme + 3);
  }
}
