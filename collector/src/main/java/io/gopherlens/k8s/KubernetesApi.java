package io.gopherlens.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * GET requests to the Kubernetes API server with the pod's service account: the bearer token
 * (re-read for every request, since the kubelet rotates projected tokens) and the cluster CA.
 * The JDK's HttpClient is enough for list and watch, and keeps fabric8's ~20 MB of model
 * classes out of the agent jar.
 */
final class KubernetesApi {
  static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  private final URI base;
  private final HttpClient http;
  private final Path tokenFile;

  private KubernetesApi(URI base, HttpClient http, Path tokenFile) {
    this.base = base;
    this.http = http;
    this.tokenFile = tokenFile;
  }

  /**
   * The API server at {@code url}, or, when null, the in-cluster one named by
   * KUBERNETES_SERVICE_HOST/PORT. Fails with what is missing and what to set.
   */
  static KubernetesApi connect(String url, Map<String, String> env, Path serviceAccount) {
    Path token = serviceAccount.resolve("token");
    Path ca = serviceAccount.resolve("ca.crt");
    // HTTP/1.1: requests go one at a time anyway, and the h2c upgrade of plain http delayed
    // the first requests to fabric8's mock server by seconds.
    HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
    if (Files.isReadable(ca)) {
      http.sslContext(trusting(ca));
    }
    URI base;
    if (url != null && !url.isBlank()) {
      base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      if (base.getScheme() == null || base.getHost() == null) {
        throw new IllegalArgumentException("Kubernetes API server '" + url + "' is not a URL like https://host:443");
      }
    } else {
      String host = env.get("KUBERNETES_SERVICE_HOST");
      String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException(
            "pod metadata needs the Kubernetes API: KUBERNETES_SERVICE_HOST is not set (not in a pod?); "
                + "set k8s.api_server, or unset k8s.node_name to run without pod metadata");
      }
      base = URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }
    return new KubernetesApi(base, http.build(), Files.isReadable(token) ? token : null);
  }

  URI base() {
    return base;
  }

  /**
   * Opens a WebSocket on {@code pathAndQuery}. The API server streams a watch over WebSocket
   * as well as over chunked HTTP; WebSocket is the form that every server and fabric8's mock
   * server (the tests) speak.
   */
  CompletableFuture<WebSocket> webSocket(String pathAndQuery, WebSocket.Listener listener) throws IOException {
    WebSocket.Builder ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    if (tokenFile != null) {
      ws.header("Authorization", "Bearer " + Files.readString(tokenFile, StandardCharsets.US_ASCII).trim());
    }
    String scheme = base.getScheme().equals("https") ? "wss" : "ws";
    return ws.buildAsync(URI.create(scheme + base.toString().substring(base.getScheme().length()) + pathAndQuery), listener);
  }

  /** Sends a GET for {@code pathAndQuery}; the caller closes the body. */
  HttpResponse<InputStream> get(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout).header("Accept", "application/json");
    if (tokenFile != null) {
      request.header("Authorization", "Bearer " + Files.readString(tokenFile, StandardCharsets.US_ASCII).trim());
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the cluster CA " + caFile + ": " + e.getMessage());
    }
  }
}
