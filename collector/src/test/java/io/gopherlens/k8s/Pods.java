package io.gopherlens.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Pods as the API server returns them, built with fabric8's model. */
public final class Pods {
  private Pods() {}

  /** A running pod of {@code owner} (kind/name) with one container of id {@code containerId}. */
  public static Pod pod(String name, String uid, String node, String ownerKind, String ownerName, Map<String, String> labels, String containerId) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("shop")
            .withUid(uid)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .addNewContainer()
            .withName("app")
            .withImage("registry.example/app:1")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .addNewContainerStatus()
            .withName("app")
            .withContainerID("containerd://" + containerId)
            .endContainerStatus()
            .endStatus();
    if (ownerKind != null) {
      b.editMetadata()
          .addNewOwnerReference()
          .withApiVersion("apps/v1")
          .withKind(ownerKind)
          .withName(ownerName)
          .withUid("owner-" + uid)
          .withController(true)
          .endOwnerReference()
          .endMetadata();
    }
    return b.build();
  }

  public static JsonNode json(Pod pod) throws Exception {
    return new ObjectMapper().readTree(Serialization.asJson(pod));
  }

  public static String id(char c) {
    return String.valueOf(c).repeat(64);
  }
}
