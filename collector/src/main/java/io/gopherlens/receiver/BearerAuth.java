package io.gopherlens.receiver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks {@code Authorization: Bearer <token>} in constant time; no token means no check. */
final class BearerAuth {
  private final byte[] expected;

  BearerAuth(String token) {
    this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  boolean required() {
    return expected != null;
  }

  boolean allows(String authorization) {
    if (expected == null) {
      return true;
    }
    return authorization != null && MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8));
  }
}
