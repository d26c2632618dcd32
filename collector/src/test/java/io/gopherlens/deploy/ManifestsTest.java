package io.gopherlens.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.gopherlens.agent.AgentConfig;
import io.gopherlens.agent.AgentOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** k8s/ parsed into Kubernetes model objects, and the properties a reviewer would check. */
class ManifestsTest {
  /** The capabilities the agent needs, each justified in k8s/daemonset.yaml (and measured, see there). */
  static final Set<String> CAPABILITIES = Set.of("BPF", "PERFMON", "SYS_ADMIN", "SYS_PTRACE", "DAC_READ_SEARCH");
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  /** Measured RSS watching 21 Go processes and 5,000 connections, with the deployed JVM options (bench/RESULTS.md). */
  private static final BigDecimal MEASURED_RSS = BigDecimal.valueOf(174L << 20);

  @TempDir Path dir;

  static List<HasMetadata> resources() throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    for (String file : kustomizationResources()) {
      for (String doc : Repo.read("k8s/" + file).split("(?m)^---$")) {
        if (!doc.isBlank()) out.add(YAML.unmarshal(doc, HasMetadata.class));
      }
    }
    return out;
  }

  static <T extends HasMetadata> T one(Class<T> kind) throws IOException {
    List<T> found = resources().stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(found).as(kind.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  static List<String> kustomizationResources() {
    Map<String, Object> k = YAML.unmarshal(Repo.read("k8s/kustomization.yaml"), Map.class);
    return (List<String>) k.get("resources");
  }

  private static Container agent() throws IOException {
    List<Container> containers = one(DaemonSet.class).getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  @Test
  void kustomization_listsEveryManifest() throws IOException {
    try (Stream<Path> files = Files.list(Repo.path("k8s"))) {
      Set<String> yaml =
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).collect(Collectors.toSet());
      assertThat(kustomizationResources()).containsExactlyInAnyOrderElementsOf(yaml);
    }
    assertThat(resources()).allSatisfy(r -> assertThat(r.getMetadata().getName()).isEqualTo(r instanceof ConfigMap ? "gopherlens-config" : "gopherlens"));
  }

  @Test
  void daemonSet_leastPrivilege() throws IOException {
    PodSpec pod = one(DaemonSet.class).getSpec().getTemplate().getSpec();
    assertThat(pod.getHostPID()).as("hostPID: other containers' /proc/PID").isTrue();
    assertThat(pod.getHostNetwork()).as("hostNetwork: the socket iterator samples the node's network namespace").isTrue();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getServiceAccountName()).isEqualTo(one(ServiceAccount.class).getMetadata().getName());
    SecurityContext sc = agent().getSecurityContext();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).containsExactlyInAnyOrderElementsOf(CAPABILITIES);
    assertThat(pod.getInitContainers()).isEmpty();
  }

  @Test
  void daemonSet_everyCapabilitySaysWhy() {
    List<String> lines = Repo.read("k8s/daemonset.yaml").lines().toList();
    for (String cap : CAPABILITIES) {
      int at = lines.indexOf("                - " + cap);
      assertThat(at).as(cap + " listed").isPositive();
      assertThat(lines.get(at - 1).trim()).as("the comment above " + cap).startsWith("# ");
      assertThat(String.join("\n", lines.subList(Math.max(0, at - 4), at))).as("comment names " + cap).contains(cap + ":");
    }
  }

  @Test
  void daemonSet_writesOnlyToEmptyDirsAndReadsHostPathsReadOnly() throws IOException {
    PodSpec pod = one(DaemonSet.class).getSpec().getTemplate().getSpec();
    Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    Map<String, VolumeMount> mounts = agent().getVolumeMounts().stream().collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));
    assertThat(volumes.get(mounts.get("/tmp").getName()).getEmptyDir()).as("/tmp (native library extraction)").isNotNull();
    assertThat(volumes.get(mounts.get("/var/lib/gopherlens").getName()).getEmptyDir()).as("spool").isNotNull();
    assertThat(volumes.get(mounts.get("/sys/kernel/btf").getName()).getHostPath().getPath()).isEqualTo("/sys/kernel/btf");
    assertThat(volumes.get(mounts.get("/sys/kernel/tracing").getName()).getHostPath().getPath()).isEqualTo("/sys/kernel/tracing");
    for (VolumeMount m : mounts.values()) {
      Volume v = volumes.get(m.getName());
      assertThat(v).as("volume of " + m.getMountPath()).isNotNull();
      if (v.getHostPath() != null || v.getConfigMap() != null) {
        assertThat(m.getReadOnly()).as(m.getMountPath() + " is read-only").isTrue();
      }
      if (v.getEmptyDir() != null) {
        assertThat(v.getEmptyDir().getSizeLimit()).as("emptyDir " + m.getName() + " is bounded").isNotNull();
      }
    }
  }

  @Test
  void daemonSet_resourcesLeaveHeadroomOverTheMeasuredFootprint() throws IOException {
    var resources = agent().getResources();
    BigDecimal request = Quantity.getAmountInBytes(resources.getRequests().get("memory"));
    BigDecimal limit = Quantity.getAmountInBytes(resources.getLimits().get("memory"));
    assertThat(request).as("memory request over measured RSS").isGreaterThan(MEASURED_RSS);
    assertThat(limit).as("memory limit at least 2x measured RSS").isGreaterThanOrEqualTo(MEASURED_RSS.multiply(BigDecimal.valueOf(2)));
    assertThat(Quantity.getAmountInBytes(resources.getRequests().get("cpu"))).isGreaterThanOrEqualTo(new BigDecimal("0.01"));
    assertThat(resources.getLimits()).containsKey("cpu");
  }

  @Test
  void daemonSet_nodeNameAndConfigReachTheAgent() throws IOException {
    Container c = agent();
    var env = c.getEnv().stream().filter(e -> e.getName().equals(AgentOptions.K8S_NODE_NAME.env())).findFirst();
    assertThat(env).as("env " + AgentOptions.K8S_NODE_NAME.env()).isPresent();
    assertThat(env.get().getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    assertThat(c.getArgs()).containsSubsequence("agent", "--config", "/etc/gopherlens/config.yaml");
    VolumeMount config = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/etc/gopherlens")).findFirst().orElseThrow();
    Volume v = one(DaemonSet.class).getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(x -> x.getName().equals(config.getName())).findFirst().orElseThrow();
    assertThat(v.getConfigMap().getName()).isEqualTo(one(ConfigMap.class).getMetadata().getName());
  }

  @Test
  void configMap_isAValidAgentConfigListeningOnTheMetricsPort() throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, one(ConfigMap.class).getData().get("config.yaml"));
    AgentConfig config = AgentConfig.resolve(List.of("--config", file.toString()), Map.of());
    var listen = config.prometheusListen();
    assertThat(listen.getHostString()).as("scraped through the pod IP, not loopback").isEqualTo("0.0.0.0");
    assertThat(listen.getPort()).isEqualTo(port("metrics"));
    Map<String, String> annotations = one(DaemonSet.class).getSpec().getTemplate().getMetadata().getAnnotations();
    assertThat(annotations).containsEntry("gopherlens.io/scrape", "true").containsEntry("gopherlens.io/port", Integer.toString(port("metrics")));
  }

  @Test
  void rbac_readsPodsOnly() throws IOException {
    ClusterRole role = one(ClusterRole.class);
    assertThat(role.getRules()).hasSize(1);
    PolicyRule rule = role.getRules().get(0);
    assertThat(rule.getApiGroups()).containsExactly("");
    assertThat(rule.getResources()).containsExactly("pods");
    assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(rule.getResourceNames()).isEmpty();
    ClusterRoleBinding binding = one(ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(one(ServiceAccount.class).getMetadata().getName());
      assertThat(s.getNamespace()).isEqualTo(one(ServiceAccount.class).getMetadata().getNamespace());
    });
  }

  @Test
  void service_exposesOtlpAndMetricsOnTheContainersPorts() throws IOException {
    Service svc = one(Service.class);
    assertThat(svc.getSpec().getSelector()).isEqualTo(one(DaemonSet.class).getSpec().getSelector().getMatchLabels());
    assertThat(svc.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactlyInAnyOrder(4317, 4318, 9464);
    for (var p : svc.getSpec().getPorts()) {
      assertThat(port(p.getTargetPort().getStrVal())).as(p.getName()).isEqualTo(p.getPort());
    }
  }

  private static int port(String name) throws IOException {
    return agent().getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
        .orElseThrow(() -> new AssertionError("no container port " + name));
  }
}
