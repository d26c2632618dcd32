package io.gopherlens.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.gopherlens.log.Log;
import io.gopherlens.testing.MockKubernetesApi;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pod watch against fabric8's mock API server in CRUD mode (a real HTTP list and watch). */
class PodWatcherTest {
  private static final String NODE = "node-a";
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private final PodDirectory directory = new PodDirectory();
  private MockKubernetesApi api;
  private PodWatcher watcher;

  @BeforeEach
  void captureLogs() {
    Log.setOutput(new PrintStream(logs, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    if (watcher != null) watcher.close();
    if (api != null) api.close();
    Log.setOutput(System.err);
  }

  private void startServer(int port) {
    api = MockKubernetesApi.start(port);
  }

  private PodWatcher watch(String url) {
    return watch(url, Duration.ofSeconds(30));
  }

  private PodWatcher watch(String url, Duration pingInterval) {
    KubernetesApi api = KubernetesApi.connect(url, Map.of(), Path.of("/nonexistent-service-account"));
    PodWatcher w = new PodWatcher(api, NODE, directory, Duration.ofMillis(20), Duration.ofMillis(200), pingInterval);
    w.startThread();
    return w;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
      Thread.sleep(20);
    }
  }

  private Pod create(Pod pod) {
    return api.client().pods().inNamespace("shop").resource(pod).create();
  }

  @Test
  void watch_podAddedUpdatedDeleted_attributesFollow() throws Exception {
    startServer(0);
    create(Pods.pod("early-0", "u0", NODE, "StatefulSet", "early", Map.of(), Pods.id('0')));
    create(Pods.pod("elsewhere", "u9", "node-b", null, null, Map.of(), Pods.id('9')));
    watcher = watch(api.url());

    await("the listed pod is known", () -> !directory.of(Pods.id('0')).isEmpty());
    assertThat(directory.of(Pods.id('0')).get(PodAttributes.STATEFULSET)).isEqualTo("early");

    create(Pods.pod("web-5d8c7b9f4-x2k9q", "u1", NODE, "ReplicaSet", "web-5d8c7b9f4",
        Map.of("app", "web", "pod-template-hash", "5d8c7b9f4", "version", "1"), Pods.id('a')));
    await("the added pod is known", () -> !directory.of(Pods.id('a')).isEmpty());
    Attributes a = directory.of(Pods.id('a'));
    assertThat(a.get(PodAttributes.POD_NAME)).isEqualTo("web-5d8c7b9f4-x2k9q");
    assertThat(a.get(PodAttributes.DEPLOYMENT)).isEqualTo("web");
    assertThat(a.get(PodAttributes.NODE_NAME)).isEqualTo(NODE);

    api.client().pods().inNamespace("shop").withName("web-5d8c7b9f4-x2k9q").edit(p -> {
      p.getMetadata().getLabels().put("version", "2");
      return p;
    });
    AttributeKey<String> version = AttributeKey.stringKey("k8s.pod.label.version");
    await("the label update is seen", () -> "2".equals(directory.of(Pods.id('a')).get(version)));

    api.client().pods().inNamespace("shop").withName("web-5d8c7b9f4-x2k9q").delete();
    await("the deleted pod is forgotten", () -> directory.of(Pods.id('a')).isEmpty());

    assertThat(directory.of(Pods.id('9')).isEmpty()).as("a pod of another node is ignored").isTrue();
    assertThat(directory.size()).isEqualTo(1);
    assertThat(watcher.failures()).isZero();
    assertThat(api.podQueries())
        .as("list and watch are node-scoped")
        .isNotEmpty()
        .allSatisfy(q -> assertThat(q).contains("fieldSelector=spec.nodeName%3Dnode-a"))
        .anySatisfy(q -> assertThat(q).contains("watch=true"));
  }

  @Test
  void watch_apiDown_saysSoOnceKeepsContainerIdsAndRecovers() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    watcher = watch("http://127.0.0.1:" + port);
    await("several failed attempts", () -> watcher.failures() >= 4);

    Attributes flow = Attributes.of(PodAttributes.CONTAINER_ID, Pods.id('a'), AttributeKey.longKey("process.pid"), 42L);
    assertThat(directory.enrich(flow)).as("metrics keep their container id").isEqualTo(flow);
    String text = logs.toString(StandardCharsets.UTF_8);
    assertThat(text.split("Kubernetes API unreachable", -1)).as("one degraded message per outage").hasSize(2);
    assertThat(text).contains("127.0.0.1:" + port);

    startServer(port);
    create(Pods.pod("web-1", "u1", NODE, null, null, Map.of(), Pods.id('a')));
    await("pods appear once the API answers", () -> !directory.of(Pods.id('a')).isEmpty());
    assertThat(directory.enrich(flow).get(PodAttributes.POD_NAME)).isEqualTo("web-1");
    assertThat(directory.enrich(flow).get(PodAttributes.CONTAINER_ID)).isEqualTo(Pods.id('a'));
    assertThat(logs.toString(StandardCharsets.UTF_8)).contains("Kubernetes API reachable again");
  }

  @Test
  void watch_silentStream_isAbandonedAndReopened() throws Exception {
    try (SilentApiServer silent = new SilentApiServer()) {
      watcher = watch(silent.url(), Duration.ofMillis(100));
      await("a second watch after the first went silent", () -> silent.watches.get() >= 2);
      assertThat(watcher.failures()).isPositive();
      assertThat(logs.toString(StandardCharsets.UTF_8)).contains("watch stream silent");
    }
  }

  @Test
  void watch_quietButAnsweringPings_staysOpen() throws Exception {
    startServer(0);
    watcher = watch(api.url(), Duration.ofMillis(100));
    await("the watch is open", () -> api.podQueries().stream().anyMatch(q -> q.contains("watch=true")));
    Thread.sleep(1_000); // ten ping intervals without a single event
    assertThat(watcher.failures()).as("pongs keep a quiet watch alive").isZero();
    assertThat(api.podQueries().stream().filter(q -> q.contains("watch=true"))).hasSize(1);
  }
}
