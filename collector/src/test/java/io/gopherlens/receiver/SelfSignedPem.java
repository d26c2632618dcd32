package io.gopherlens.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1/localhost made by the JDK's keytool, written as the PEM
 * certificate and PKCS#8 key files an operator would configure.
 */
final class SelfSignedPem {
  final Path cert;
  final Path key;
  final byte[] certPem;

  private SelfSignedPem(Path cert, Path key, byte[] certPem) {
    this.cert = cert;
    this.key = key;
    this.certPem = certPem;
  }

  static SelfSignedPem create(Path dir) throws Exception {
    Path store = dir.resolve("receiver.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool, "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
            .redirectErrorStream(true)
            .start();
    byte[] output = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool: %s", new String(output, StandardCharsets.UTF_8)).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate c = ks.getCertificate("receiver");
    PrivateKey k = (PrivateKey) ks.getKey("receiver", "changeit".toCharArray());
    byte[] certPem = pem("CERTIFICATE", c.getEncoded());
    Path cert = Files.write(dir.resolve("receiver.crt"), certPem);
    Path key = Files.write(dir.resolve("receiver.key"), pem("PRIVATE KEY", k.getEncoded()));
    return new SelfSignedPem(cert, key, certPem);
  }

  private static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
  }
}
