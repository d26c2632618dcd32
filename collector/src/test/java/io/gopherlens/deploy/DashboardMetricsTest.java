package io.gopherlens.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.agent.Agent;
import io.gopherlens.agent.AgentConfig;
import io.gopherlens.k8s.Pods;
import io.gopherlens.testing.FakeContainer;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.MockKubernetesApi;
import io.gopherlens.testing.Workload;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real agent (probes in this kernel) watching real Go programs (GC, a grown map) and real TCP traffic from a
 * process in a (cgroup-made) container whose pod the mock API server knows: every metric name
 * the Grafana dashboards query must be on its /metrics, and the flows of the containerized
 * process must carry the pod's attributes — until the pod is deleted. Needs root; fails when
 * the probe cannot load.
 */
class DashboardMetricsTest {
  private static final String NODE = "node-e2e";
  private static final Pattern SERIES = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? ");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void agent_exportsEveryDashboardMetricAndPodAttributesOnContainerFlows() throws Exception {
    Path spine = GoToolchain.GO_1_24.build(GoToolchain.workload("spine"), GoToolchain.Variant.DEFAULT);
    Path tcpload = GoToolchain.GO_1_24.build(GoToolchain.workload("tcpload"), GoToolchain.Variant.DEFAULT);
    Path mapgrowth = GoToolchain.GO_1_24.build(GoToolchain.workload("mapgrowth"), GoToolchain.Variant.DEFAULT);
    metricsPort = freePort();
    try (MockKubernetesApi api = MockKubernetesApi.start(0);
        FakeContainer container = FakeContainer.create()) {
      api.client().pods().inNamespace("shop")
          .resource(Pods.pod("api-7c9d8f6b5-q4x2z", "uid-api", NODE, "ReplicaSet", "api-7c9d8f6b5",
              Map.of("app", "api", "pod-template-hash", "7c9d8f6b5"), container.id))
          .create();
      AgentConfig config = AgentConfig.resolve(
          List.of("--prometheus", "127.0.0.1:" + metricsPort, "--events", "off", "--flow-interval", "1s",
              "--k8s-node-name", NODE, "--k8s-api-server", api.url()),
          Map.of());
      try (Agent agent = new Agent(config)) {
        agent.start();
        try (Workload go = Workload.start(spine, "10");
            Workload maps = Workload.start(mapgrowth, "swiss", "200000");
            Workload server = Workload.start(tcpload, "serve", "127.0.0.1:0")) {
          go.next();
          // GC cycles and map growth before discovery has attached the probes would go unseen,
          // and heap state is read from the first cycle seen: let discovery reach them first.
          Thread.sleep(3_000);
          go.proceed(); // TCP phase, then 10 GCs
          assertThat(go.next().get("numgc").asLong()).isGreaterThanOrEqualTo(10);
          maps.next();
          maps.proceed();
          maps.next();
          maps.proceed(); // a map grown to 200,000 entries in main.fillCache: its growth is seen, then sampled
          assertThat(maps.next().get("phase").asText()).isEqualTo("big");

          int port = server.next().get("port").asInt();
          container.add(server.pid()); // before any connection: the agent reads the cgroup at its first flow
          try (Workload client = Workload.start(tcpload, "send", "127.0.0.1:" + port, "100000")) {
            client.next();
            refusedConnect();
            String pod = "k8s_pod_name=\"api-7c9d8f6b5-q4x2z\"";
            Set<String> expected = expectedNow();
            String scrape = awaitScrape("the containerized server's flows carry its pod and every live metric is exported",
                s -> names(s).containsAll(expected) && serverSeries(s, server.pid()).stream().anyMatch(l -> l.contains(pod)));

            assertThat(serverSeries(scrape, server.pid()))
                .anySatisfy(l -> assertThat(l).contains(pod, "k8s_namespace_name=\"shop\"", "k8s_deployment_name=\"api\"",
                    "k8s_replicaset_name=\"api-7c9d8f6b5\"", "k8s_node_name=\"" + NODE + "\"", "k8s_container_name=\"app\"",
                    "k8s_pod_label_app=\"api\"", "container_id=\"" + container.id + "\""));
            assertThat(names(scrape)).containsAll(expected);
            assertThat(scrape).containsPattern("(?m)^gopherlens_k8s_pods(\\{[^}]*})? 1$");

            api.client().pods().inNamespace("shop").withName("api-7c9d8f6b5-q4x2z").delete();
            String after = awaitScrape("the deleted pod's attributes are gone",
                s -> !serverSeries(s, server.pid()).isEmpty() && serverSeries(s, server.pid()).stream().noneMatch(l -> l.contains(pod)));
            assertThat(serverSeries(after, server.pid())).allSatisfy(l -> assertThat(l).contains("container_id=\"" + container.id + "\""));
            client.proceed();
          }
          go.proceed();
          maps.proceed();
        }
      }
      assertThat(api.podQueries()).allSatisfy(q -> assertThat(q).contains("fieldSelector=spec.nodeName%3D" + NODE));
    }
  }

  private static Set<String> expectedNow() throws IOException {
    return PromQl.dashboardMetricNames();
  }

  static Set<String> names(String scrape) {
    Set<String> out = new TreeSet<>();
    Matcher m = SERIES.matcher(scrape);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  private static List<String> serverSeries(String scrape, int pid) {
    return scrape.lines()
        .filter(l -> l.startsWith("gopherlens_tcp_") && l.contains("process_pid=\"" + pid + "\"") && l.contains("gopherlens_tcp_direction=\"server\""))
        .toList();
  }

  private String awaitScrape(String what, Predicate<String> done) throws Exception {
    Set<String> missing = new TreeSet<>(expectedNow());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // a loaded 2-core CI machine
    String last = "";
    while (System.nanoTime() < deadline) {
      last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (done.test(last)) return last;
      Thread.sleep(500);
    }
    missing.removeAll(names(last));
    throw new AssertionError("timed out waiting until " + what + "; dashboard names missing: " + missing);
  }

  private int metricsPort;

  /** A port nothing listens on (any more). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A connect to a closed port: gopherlens_tcp_connections_failed_total{error_type="refused"}. */
  private static void refusedConnect() throws IOException {
    int closed = freePort();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), 1000);
      throw new AssertionError("port " + closed + " accepted a connection");
    } catch (ConnectException expected) {
      // refused, as intended
    }
  }
}
