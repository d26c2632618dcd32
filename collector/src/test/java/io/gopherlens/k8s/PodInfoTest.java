package io.gopherlens.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodInfoTest {
  private static Attributes only(PodInfo p) {
    assertThat(p.containers()).hasSize(1);
    return p.containers().values().iterator().next();
  }

  @Test
  void parse_deploymentPod_namesPodReplicaSetDeploymentAndContainer() throws Exception {
    PodInfo p =
        PodInfo.parse(
            Pods.json(Pods.pod("web-5d8c7b9f4-x2k9q", "u1", "node-a", "ReplicaSet", "web-5d8c7b9f4",
                Map.of("app", "web", "pod-template-hash", "5d8c7b9f4"), Pods.id('a'))));

    assertThat(p.containers()).containsOnlyKeys(Pods.id('a'));
    Attributes a = only(p);
    assertThat(a.get(PodAttributes.POD_NAME)).isEqualTo("web-5d8c7b9f4-x2k9q");
    assertThat(a.get(PodAttributes.POD_UID)).isEqualTo("u1");
    assertThat(a.get(PodAttributes.NAMESPACE)).isEqualTo("shop");
    assertThat(a.get(PodAttributes.NODE_NAME)).isEqualTo("node-a");
    assertThat(a.get(PodAttributes.CONTAINER_NAME)).isEqualTo("app");
    assertThat(a.get(PodAttributes.REPLICASET)).isEqualTo("web-5d8c7b9f4");
    assertThat(a.get(PodAttributes.DEPLOYMENT)).isEqualTo("web");
    assertThat(a.get(AttributeKey.stringKey("k8s.pod.label.app"))).isEqualTo("web");
  }

  @Test
  void parse_replicaSetWithoutTemplateHash_hasNoDeployment() throws Exception {
    Attributes a = only(PodInfo.parse(Pods.json(Pods.pod("rs-abc", "u2", "n", "ReplicaSet", "rs", Map.of(), Pods.id('b')))));
    assertThat(a.get(PodAttributes.REPLICASET)).isEqualTo("rs");
    assertThat(a.get(PodAttributes.DEPLOYMENT)).isNull();
  }

  @Test
  void parse_otherControllers_nameTheirWorkload() throws Exception {
    assertThat(only(PodInfo.parse(Pods.json(Pods.pod("fluent-7xk2p", "u3", "n", "DaemonSet", "fluent", Map.of(), Pods.id('c')))))
            .get(PodAttributes.DAEMONSET))
        .isEqualTo("fluent");
    assertThat(only(PodInfo.parse(Pods.json(Pods.pod("db-0", "u4", "n", "StatefulSet", "db", Map.of(), Pods.id('d')))))
            .get(PodAttributes.STATEFULSET))
        .isEqualTo("db");
    Attributes cron = only(PodInfo.parse(Pods.json(Pods.pod("report-29012345-abcde", "u5", "n", "Job", "report-29012345", Map.of(), Pods.id('e')))));
    assertThat(cron.get(PodAttributes.JOB)).isEqualTo("report-29012345");
    assertThat(cron.get(PodAttributes.CRONJOB)).isEqualTo("report");
    Attributes job = only(PodInfo.parse(Pods.json(Pods.pod("migrate-2-x", "u6", "n", "Job", "migrate-2", Map.of(), Pods.id('f')))));
    assertThat(job.get(PodAttributes.JOB)).isEqualTo("migrate-2");
    assertThat(job.get(PodAttributes.CRONJOB)).as("a hand-made job's short suffix is not a schedule").isNull();
  }

  @Test
  void parse_manyLabels_keepsTheFirstSortedAndCountsTheRest() throws Exception {
    Map<String, String> labels = new HashMap<>();
    for (int i = 0; i < PodInfo.MAX_LABELS + 5; i++) labels.put(String.format("l%03d", i), "v");
    PodInfo p = PodInfo.parse(Pods.json(Pods.pod("p", "u7", "n", null, null, labels, Pods.id('1'))));
    Attributes a = only(p);
    assertThat(p.labelsDropped()).isEqualTo(5);
    assertThat(a.get(AttributeKey.stringKey("k8s.pod.label.l000"))).isEqualTo("v");
    assertThat(a.get(AttributeKey.stringKey(String.format("k8s.pod.label.l%03d", PodInfo.MAX_LABELS - 1)))).isEqualTo("v");
    assertThat(a.get(AttributeKey.stringKey(String.format("k8s.pod.label.l%03d", PodInfo.MAX_LABELS)))).isNull();
  }

  @Test
  void parse_pendingPod_hasNoContainersYet() throws Exception {
    PodInfo p = PodInfo.parse(new ObjectMapper().readTree("{\"metadata\":{\"name\":\"p\",\"uid\":\"u\",\"namespace\":\"ns\"},\"spec\":{\"nodeName\":\"n\"}}"));
    assertThat(p.containers()).isEmpty();
  }

  @Test
  void parse_withoutUid_failsNamingIt() {
    assertThatThrownBy(() -> PodInfo.parse(new ObjectMapper().readTree("{\"metadata\":{\"name\":\"p\"}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata.uid");
  }
}
