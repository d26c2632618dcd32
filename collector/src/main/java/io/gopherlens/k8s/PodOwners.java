package io.gopherlens.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workload a pod belongs to, from its controller owner reference. The owner's owner
 * (ReplicaSet -> Deployment, Job -> CronJob) is derived from names the controllers generate,
 * so the agent reads pods only and needs no RBAC on replicasets or jobs.
 */
final class PodOwners {
  /** CronJob controllers name jobs {@code <cronjob>-<scheduled time in minutes>}. */
  private static final Pattern CRONJOB_JOB = Pattern.compile("^(.+)-(\\d{8,})$");

  private PodOwners() {}

  /** Workload attributes (k8s.deployment.name, ...) of a pod's metadata and labels. */
  static Map<AttributeKey<String>, String> of(JsonNode metadata, Map<String, String> labels) {
    Map<AttributeKey<String>, String> out = new LinkedHashMap<>();
    JsonNode owner = controller(metadata.path("ownerReferences"));
    if (owner == null) {
      return out;
    }
    String name = owner.path("name").asText("");
    switch (owner.path("kind").asText("")) {
      case "ReplicaSet" -> {
        out.put(PodAttributes.REPLICASET, name);
        // A Deployment names its ReplicaSets <deployment>-<pod-template-hash>.
        String hash = labels.get("pod-template-hash");
        if (hash != null && name.endsWith("-" + hash) && name.length() > hash.length() + 1) {
          out.put(PodAttributes.DEPLOYMENT, name.substring(0, name.length() - hash.length() - 1));
        }
      }
      case "DaemonSet" -> out.put(PodAttributes.DAEMONSET, name);
      case "StatefulSet" -> out.put(PodAttributes.STATEFULSET, name);
      case "Job" -> {
        out.put(PodAttributes.JOB, name);
        Matcher m = CRONJOB_JOB.matcher(name);
        if (m.matches()) {
          out.put(PodAttributes.CRONJOB, m.group(1));
        }
      }
      default -> {}
    }
    return out;
  }

  /** The reference marked controller: true, else the only one. */
  private static JsonNode controller(JsonNode refs) {
    for (JsonNode ref : refs) {
      if (ref.path("controller").asBoolean(false)) return ref;
    }
    return refs.size() == 1 ? refs.get(0) : null;
  }
}
