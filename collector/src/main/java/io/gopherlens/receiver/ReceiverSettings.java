package io.gopherlens.receiver;

import io.gopherlens.agent.AgentConfig;
import io.gopherlens.agent.AgentOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the OTLP receiver listens and what it protects itself against. Built from the agent's
 * {@code receiver.*} settings; {@link #defaults()} are the documented defaults.
 *
 * @param httpListen null for no OTLP/HTTP listener
 * @param grpcListen null for no OTLP/gRPC listener
 * @param maxBody largest request body on the wire (compressed), refused with 413 / RESOURCE_EXHAUSTED
 * @param maxDecompressed largest body after gzip; inflating stops there (gzip bombs)
 * @param maxInflightBytes bytes of requests held at once, across connections and protocols
 * @param headerTimeout from a request's first byte to the end of its headers
 * @param readTimeout from a request's first byte to the end of its body
 * @param idleTimeout a keep-alive connection with no traffic this long is closed
 * @param retryAfter what Retry-After (and gRPC RetryInfo) tells refused senders
 * @param bearerToken null for no authentication
 * @param tlsCert PEM certificate chain, null for plain text (with {@code tlsKey})
 * @param tlsKey PEM PKCS#8 private key
 */
public record ReceiverSettings(
    InetSocketAddress httpListen,
    InetSocketAddress grpcListen,
    long maxBody,
    long maxDecompressed,
    long maxInflightBytes,
    Duration headerTimeout,
    Duration readTimeout,
    Duration idleTimeout,
    Duration retryAfter,
    String bearerToken,
    Path tlsCert,
    Path tlsKey) {
  public static final long DEFAULT_MAX_BODY = 8L << 20;

  public ReceiverSettings {
    if (maxBody <= 0 || maxBody > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("receiver.max_body must be between 1 byte and 2 GiB, not " + maxBody);
    }
    if (maxDecompressed < maxBody || maxDecompressed > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "receiver.max_decompressed (" + maxDecompressed + ") must be at least receiver.max_body (" + maxBody + ") and below 2 GiB");
    }
    if (maxInflightBytes < maxDecompressed) {
      throw new IllegalArgumentException(
          "receiver.max_inflight_bytes (" + maxInflightBytes + ") must be at least receiver.max_decompressed (" + maxDecompressed
              + "), or no request of the largest allowed size could ever be taken");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("receiver.tls.cert and receiver.tls.key must be set together");
    }
    if (bearerToken != null && bearerToken.isBlank()) {
      throw new IllegalArgumentException("receiver bearer token is empty; set a token or leave it unset");
    }
  }

  /** Loopback listeners on the standard OTLP ports; no auth, no TLS. */
  public static ReceiverSettings defaults() {
    return new ReceiverSettings(
        new InetSocketAddress("127.0.0.1", 4318),
        new InetSocketAddress("127.0.0.1", 4317),
        DEFAULT_MAX_BODY,
        4 * DEFAULT_MAX_BODY,
        256L << 20,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(2),
        Duration.ofSeconds(1),
        null,
        null,
        null);
  }

  /** The {@code receiver.*} settings; a token file wins over an inline token only when set. */
  public static ReceiverSettings from(AgentConfig c) {
    String cert = c.string(AgentOptions.RECEIVER_TLS_CERT);
    String key = c.string(AgentOptions.RECEIVER_TLS_KEY);
    return new ReceiverSettings(
        resolved(c.listen(AgentOptions.RECEIVER_HTTP_LISTEN)),
        resolved(c.listen(AgentOptions.RECEIVER_GRPC_LISTEN)),
        c.bytes(AgentOptions.RECEIVER_MAX_BODY),
        c.bytes(AgentOptions.RECEIVER_MAX_DECOMPRESSED),
        c.bytes(AgentOptions.RECEIVER_MAX_INFLIGHT),
        c.duration(AgentOptions.RECEIVER_HEADER_TIMEOUT),
        c.duration(AgentOptions.RECEIVER_READ_TIMEOUT),
        c.duration(AgentOptions.RECEIVER_IDLE_TIMEOUT),
        Duration.ofSeconds(1),
        token(c),
        cert == null ? null : Path.of(cert),
        key == null ? null : Path.of(key));
  }

  private static String token(AgentConfig c) {
    String file = c.string(AgentOptions.RECEIVER_BEARER_TOKEN_FILE);
    if (file == null || file.isBlank()) {
      return c.string(AgentOptions.RECEIVER_BEARER_TOKEN);
    }
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read receiver.auth.bearer_token_file " + file + ": " + e + "; check the path and its permissions");
    }
  }

  private static InetSocketAddress resolved(InetSocketAddress unresolved) {
    return unresolved == null ? null : new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
  }

  public ReceiverSettings withListeners(InetSocketAddress http, InetSocketAddress grpc) {
    return new ReceiverSettings(http, grpc, maxBody, maxDecompressed, maxInflightBytes, headerTimeout, readTimeout, idleTimeout, retryAfter, bearerToken, tlsCert, tlsKey);
  }

  public ReceiverSettings withLimits(long body, long decompressed, long inflight) {
    return new ReceiverSettings(httpListen, grpcListen, body, decompressed, inflight, headerTimeout, readTimeout, idleTimeout, retryAfter, bearerToken, tlsCert, tlsKey);
  }

  public ReceiverSettings withTimeouts(Duration header, Duration read, Duration idle) {
    return new ReceiverSettings(httpListen, grpcListen, maxBody, maxDecompressed, maxInflightBytes, header, read, idle, retryAfter, bearerToken, tlsCert, tlsKey);
  }

  public ReceiverSettings withBearerToken(String token) {
    return new ReceiverSettings(httpListen, grpcListen, maxBody, maxDecompressed, maxInflightBytes, headerTimeout, readTimeout, idleTimeout, retryAfter, token, tlsCert, tlsKey);
  }

  public ReceiverSettings withTls(Path cert, Path key) {
    return new ReceiverSettings(httpListen, grpcListen, maxBody, maxDecompressed, maxInflightBytes, headerTimeout, readTimeout, idleTimeout, retryAfter, bearerToken, cert, key);
  }
}
