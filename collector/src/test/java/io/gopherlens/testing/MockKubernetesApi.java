package io.gopherlens.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's mock Kubernetes API server in CRUD mode on loopback (no cluster runs here): pods
 * created, edited and deleted through its client are listed and watched over real HTTP and
 * WebSocket, as the API server does.
 */
public final class MockKubernetesApi implements AutoCloseable {
  private final NodeScopedDispatcher dispatcher = new NodeScopedDispatcher();
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockKubernetesApi(int port) {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), port);
    client = server.createClient();
  }

  /** On {@code port}, or any free port for 0. */
  public static MockKubernetesApi start(int port) {
    return new MockKubernetesApi(port);
  }

  public String url() {
    return server.url("/");
  }

  public KubernetesClient client() {
    return client;
  }

  /** Every pod list or watch request received, with its query as sent. */
  public List<String> podQueries() {
    return List.copyOf(dispatcher.podQueries);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
