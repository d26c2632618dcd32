package io.gopherlens.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A loopback HTTP endpoint that answers each request with the next scripted status (then a
 * default), recording every request: for the status codes a real backend will not produce on cue
 * (429, 503). Handlers may decode the body as the real peer would.
 */
public final class ScriptedHttpServer implements AutoCloseable {
  /** One received request. */
  public record Request(String path, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final Deque<Integer> script = new ArrayDeque<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final int defaultStatus;
  private volatile Consumer<Request> onSuccess = r -> {};

  private ScriptedHttpServer(int port, int defaultStatus) throws IOException {
    this.defaultStatus = defaultStatus;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          Request request =
              new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body);
          requests.add(request);
          int status;
          synchronized (script) {
            status = script.isEmpty() ? defaultStatus : script.poll();
          }
          byte[] answer = new byte[0];
          if (status / 100 == 2) {
            try {
              onSuccess.accept(request);
            } catch (RuntimeException e) {
              status = 400;
              answer = ("bad request: " + e.getMessage() + "\n").getBytes();
            }
          } else {
            answer = ("scripted status " + status + "\nsecond line\n").getBytes();
          }
          if (answer.length == 0) {
            exchange.sendResponseHeaders(status, -1);
          } else {
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
          }
          exchange.close();
        });
    server.start();
  }

  /** Listens on a free loopback port; answers {@code defaultStatus} once the script is used up. */
  public static ScriptedHttpServer start(int defaultStatus) throws IOException {
    return new ScriptedHttpServer(0, defaultStatus);
  }

  /** Listens on {@code port} (to come back on the same address after {@link #close()}). */
  public static ScriptedHttpServer start(int port, int defaultStatus) throws IOException {
    return new ScriptedHttpServer(port, defaultStatus);
  }

  /** Runs on each request answered 2xx; an exception turns the answer into 400. */
  public ScriptedHttpServer onSuccess(Consumer<Request> handler) {
    this.onSuccess = handler;
    return this;
  }

  public ScriptedHttpServer script(int... statuses) {
    synchronized (script) {
      for (int s : statuses) {
        script.add(s);
      }
    }
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
