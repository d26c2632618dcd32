package io.gopherlens.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.k8s.PodAttributes;
import io.gopherlens.k8s.PodDirectory;
import io.gopherlens.k8s.PodInfo;
import io.gopherlens.k8s.Pods;
import io.opentelemetry.api.common.Attributes;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessResourcesTest {
  @Test
  void of_containerOfAKnownPod_resourceNamesThePod() throws Exception {
    PodDirectory pods = new PodDirectory();
    pods.upsert(PodInfo.parse(Pods.json(Pods.pod("api-7c9d8f6b5-q4x2z", "u1", "node-a", "ReplicaSet", "api-7c9d8f6b5",
        Map.of("pod-template-hash", "7c9d8f6b5"), Pods.id('c')))));
    ProcessResources resources = new ProcessResources(null, pods);

    Attributes known = resources.of(7, Attributes.of(ProcessResources.CONTAINER_ID, Pods.id('c')));
    assertThat(known.get(ProcessResources.CONTAINER_ID)).isEqualTo(Pods.id('c'));
    assertThat(known.get(PodAttributes.POD_NAME)).isEqualTo("api-7c9d8f6b5-q4x2z");
    assertThat(known.get(PodAttributes.NAMESPACE)).isEqualTo("shop");
    assertThat(known.get(PodAttributes.DEPLOYMENT)).isEqualTo("api");

    Attributes unknown = resources.of(8, Attributes.of(ProcessResources.CONTAINER_ID, Pods.id('d')));
    assertThat(unknown.get(ProcessResources.CONTAINER_ID)).as("a container of no known pod keeps its id").isEqualTo(Pods.id('d'));
    assertThat(unknown.get(PodAttributes.POD_NAME)).isNull();
  }
}
