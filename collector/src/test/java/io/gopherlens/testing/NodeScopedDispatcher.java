package io.gopherlens.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's CRUD dispatcher, but it records the pod queries and drops their
 * fieldSelector=spec.nodeName, which the mock cannot evaluate (it answers an empty list).
 * Every node's pods then reach the agent, which must keep only its own.
 */
final class NodeScopedDispatcher extends Dispatcher {
  private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
  final List<String> podQueries = new CopyOnWriteArrayList<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    if (path.startsWith("/api/v1/pods?")) {
      podQueries.add(path);
      String stripped = path.replaceAll("&?fieldSelector=spec\\.nodeName%3D[^&]*", "").replace("?&", "?");
      request = new RecordedRequest(request.getHttpVersion(), request.method(), stripped, request.getHeaders(), request.getBody());
    }
    return crud.dispatch(request);
  }

  @Override
  public void shutdown() {
    crud.shutdown();
  }
}
