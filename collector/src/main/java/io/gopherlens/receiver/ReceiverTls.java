package io.gopherlens.receiver;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** Server TLS contexts from the PEM certificate chain and PKCS#8 key of the settings. */
final class ReceiverTls {
  private ReceiverTls() {}

  /** Null when TLS is off. */
  static SslContext http(ReceiverSettings s) {
    return s.tlsCert() == null ? null : build(SslContextBuilder.forServer(s.tlsCert().toFile(), s.tlsKey().toFile()), s, false);
  }

  /** Null when TLS is off; gRPC needs ALPN "h2" on top. */
  static SslContext grpc(ReceiverSettings s) {
    return s.tlsCert() == null ? null : build(SslContextBuilder.forServer(s.tlsCert().toFile(), s.tlsKey().toFile()), s, true);
  }

  private static SslContext build(SslContextBuilder b, ReceiverSettings s, boolean grpc) {
    try {
      return (grpc ? GrpcSslContexts.configure(b) : b).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "failed to load the receiver's TLS certificate " + path(s.tlsCert()) + " and key " + path(s.tlsKey())
              + ": " + e.getMessage() + "; they must be PEM files, the key in PKCS#8 (BEGIN PRIVATE KEY)",
          e);
    }
  }

  private static String path(Path p) {
    return p.toAbsolutePath().toString();
  }
}
