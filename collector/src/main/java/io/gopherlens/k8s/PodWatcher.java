package io.gopherlens.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gopherlens.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a {@link PodDirectory} in step with the pods of one node: a list, then a watch from
 * the list's resourceVersion (fieldSelector spec.nodeName), relisting when the server says the
 * version is gone. When the API server cannot be reached the agent goes on with container ids
 * only: it says so once per outage, keeps the pods it knew, and retries with backoff.
 */
public final class PodWatcher implements AutoCloseable {
  private static final Log LOG = Log.of(PodWatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** The server ends each watch after this long; the watcher resumes from the last version. */
  private static final int WATCH_SECONDS = 300;
  private static final int PAGE = 500;

  private final KubernetesApi api;
  private final String nodeName;
  private final PodDirectory directory;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration pingInterval;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile WebSocket open;
  private boolean degraded;

  PodWatcher(KubernetesApi api, String nodeName, PodDirectory directory, Duration initialBackoff, Duration maxBackoff, Duration pingInterval) {
    this.api = api;
    this.nodeName = nodeName;
    this.directory = directory;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.pingInterval = pingInterval;
    this.thread = new Thread(this::run, "gopherlens-k8s-pods");
    this.thread.setDaemon(true);
  }

  /** Watches the pods of {@code nodeName} through the API server at {@code apiServer} (null: in-cluster). */
  public static PodWatcher start(String apiServer, String nodeName, PodDirectory directory) {
    KubernetesApi api = KubernetesApi.connect(apiServer, System.getenv(), KubernetesApi.SERVICE_ACCOUNT);
    PodWatcher w = new PodWatcher(api, nodeName, directory, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(30));
    w.startThread();
    return w;
  }

  void startThread() {
    thread.start();
  }

  /** List or watch requests that failed (API server down, refused, or an error status). */
  public long failures() {
    return failures.get();
  }

  /** Pods and watch events that could not be parsed and were skipped. */
  public long malformed() {
    return malformed.get();
  }

  private void run() {
    Duration backoff = initialBackoff;
    while (running) {
      try {
        try {
          String version = list();
          recovered();
          backoff = initialBackoff;
          while (running && version != null) {
            version = watch(version); // null: the version expired, relist
          }
        } catch (IOException | ApiError e) {
          if (!running) return;
          failed(e);
          Thread.sleep(backoff.toMillis());
          backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Lists every pod of the node, page by page; returns the list's resourceVersion. */
  private String list() throws IOException, InterruptedException, ApiError {
    List<PodInfo> pods = new ArrayList<>();
    String next = "";
    String version;
    do {
      JsonNode page;
      try (InputStream in = body(api.get("/api/v1/pods?" + selector() + "&limit=" + PAGE + next, REQUEST_TIMEOUT))) {
        page = JSON.readTree(in);
      }
      for (JsonNode pod : page.path("items")) {
        PodInfo p = parse(pod);
        if (p != null) pods.add(p);
      }
      version = page.path("metadata").path("resourceVersion").asText("");
      String token = page.path("metadata").path("continue").asText("");
      next = token.isEmpty() ? null : "&continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    } while (next != null);
    directory.replaceAll(pods);
    LOG.debug("listed pods", "node", nodeName, "pods", pods.size());
    return version;
  }

  /** Applies watch events until the server ends the stream; null when a relist is needed. */
  private String watch(String version) throws IOException, InterruptedException, ApiError {
    String query =
        "/api/v1/pods?watch=true&allowWatchBookmarks=true&timeoutSeconds=" + WATCH_SECONDS + "&" + selector()
            + (version.isEmpty() ? "" : "&resourceVersion=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
    WatchStream stream = new WatchStream(version);
    WebSocket ws;
    try {
      ws = api.webSocket(query, stream).get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ApiError("watch " + api.base() + " failed: " + (e.getCause() == null ? e : e.getCause()));
    }
    open = ws;
    try {
      while (true) {
        try {
          return stream.done.get(pingInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException quiet) {
          // A connection dropped by a NAT or a dead node never closes: ping, and give up on
          // a stream that has answered nothing for three intervals.
          if (System.nanoTime() - stream.lastFrameNanos > 3 * pingInterval.toNanos()) {
            throw new IOException("watch stream silent for " + 3 * pingInterval.toMillis() + " ms");
          }
          ws.sendPing(ByteBuffer.allocate(0));
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiError error) throw error;
      throw new IOException("watch stream broke: " + e.getCause(), e.getCause());
    } finally {
      open = null;
      ws.abort();
    }
  }

  /** One watch: events applied as they arrive; {@code done} holds the last resourceVersion. */
  private final class WatchStream implements WebSocket.Listener {
    /** A pod's JSON is a few KiB; a message this large is not a pod event. */
    private static final int MAX_MESSAGE_CHARS = 4 << 20;
    final CompletableFuture<String> done = new CompletableFuture<>();
    private final StringBuilder message = new StringBuilder();
    private String version;
    volatile long lastFrameNanos = System.nanoTime();

    WatchStream(String version) {
      this.version = version;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      lastFrameNanos = System.nanoTime();
      message.append(data);
      if (message.length() > MAX_MESSAGE_CHARS) {
        malformed.incrementAndGet();
        done.complete(null); // relist rather than apply a partial view
        return null;
      }
      if (last) {
        try {
          apply(JSON.readTree(message.toString()));
        } catch (IOException e) {
          malformed.incrementAndGet();
        } catch (ApiError e) {
          done.completeExceptionally(e);
        }
        message.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      return onText(ws, StandardCharsets.UTF_8.decode(data), last);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
      lastFrameNanos = System.nanoTime();
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      done.complete(version);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      done.completeExceptionally(error);
    }

    private void apply(JsonNode event) throws ApiError {
      JsonNode object = event.path("object");
      switch (event.path("type").asText("")) {
        case "ADDED", "MODIFIED" -> {
          PodInfo p = parse(object);
          if (p != null) directory.upsert(p);
        }
        case "DELETED" -> directory.remove(object.path("metadata").path("uid").asText(""));
        case "BOOKMARK" -> {}
        case "ERROR" -> {
          if (object.path("code").asInt() == 410) { // resourceVersion too old: relist
            done.complete(null);
            return;
          }
          throw new ApiError("watch error: " + object.path("message").asText(object.toString()));
        }
        default -> {
          malformed.incrementAndGet();
          return;
        }
      }
      String v = object.path("metadata").path("resourceVersion").asText("");
      if (!v.isEmpty()) version = v;
    }
  }

  private PodInfo parse(JsonNode pod) {
    try {
      PodInfo p = PodInfo.parse(pod);
      // The field selector already keeps other nodes' pods out; this guards against a server
      // (or proxy) that ignores it.
      return nodeName.equals(p.nodeName()) ? p : null;
    } catch (IllegalArgumentException e) {
      malformed.incrementAndGet();
      return null;
    }
  }

  private String selector() {
    return "fieldSelector=" + URLEncoder.encode("spec.nodeName=" + nodeName, StandardCharsets.UTF_8);
  }

  private static InputStream body(HttpResponse<InputStream> response) throws IOException, ApiError {
    if (response.statusCode() / 100 != 2) {
      String detail;
      try (InputStream in = response.body()) {
        detail = new String(in.readNBytes(300), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
      }
      String hint = response.statusCode() == 401 || response.statusCode() == 403
          ? " (check the ClusterRole in k8s/rbac.yaml: get, list, watch on pods)" : "";
      throw new ApiError("HTTP " + response.statusCode() + " from " + response.uri().getPath() + hint + ": " + detail);
    }
    return response.body();
  }

  private void failed(Exception e) {
    failures.incrementAndGet();
    if (!degraded) {
      degraded = true;
      LOG.warn(
          "Kubernetes API unreachable: metrics keep container.id but get no new pod names until it answers; retrying with backoff",
          "api", api.base(), "node", nodeName, "pods_kept", directory.size(), "error", e.toString());
    } else {
      LOG.debug("Kubernetes API still unreachable", "api", api.base(), "error", e.toString());
    }
  }

  private void recovered() {
    if (degraded) {
      degraded = false;
      LOG.info("Kubernetes API reachable again; pod metadata is current", "api", api.base(), "pods", directory.size());
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    WebSocket ws = open;
    if (ws != null) ws.abort();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The API server answered with an error status. */
  static final class ApiError extends Exception {
    ApiError(String message) {
      super(message);
    }
  }
}
