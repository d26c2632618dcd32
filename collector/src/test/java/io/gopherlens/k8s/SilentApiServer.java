package io.gopherlens.k8s;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An API server whose watches go silent: it answers the pod list, accepts the WebSocket
 * upgrade of the watch (RFC 6455 handshake), then neither sends nor answers anything — as a
 * connection dropped by a NAT looks from the agent's side.
 */
final class SilentApiServer implements AutoCloseable {
  private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private final ServerSocket socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
  private final List<Socket> open = new ArrayList<>();
  final AtomicInteger watches = new AtomicInteger();

  SilentApiServer() throws IOException {
    Thread t = new Thread(this::serve, "silent-api");
    t.setDaemon(true);
    t.start();
  }

  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        synchronized (open) {
          open.add(s);
        }
        Thread t = new Thread(() -> handle(s), "silent-api-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Requests on one kept-alive connection until it closes or turns into a silent watch. */
  private void handle(Socket s) {
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      for (String requestLine = in.readLine(); requestLine != null; requestLine = in.readLine()) {
        String key = null;
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
          if (h.toLowerCase().startsWith("sec-websocket-key:")) key = h.substring(h.indexOf(':') + 1).trim();
        }
        if (key != null) {
          watches.incrementAndGet();
          String accept = Base64.getEncoder().encodeToString(
              MessageDigest.getInstance("SHA-1").digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.ISO_8859_1)));
          out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
              + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          return; // and then silence: frames, pings included, go unread
        }
        byte[] body = "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[]}".getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
      }
    } catch (Exception e) {
      // connection closed
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    synchronized (open) {
      for (Socket s : open) s.close();
    }
  }
}
