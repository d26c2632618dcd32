package io.gopherlens.receiver;

/** Why a whole request was refused before any of its items was looked at. */
public enum RefusalReason {
  MALFORMED,
  TOO_LARGE,
  OVERLOADED,
  UNAUTHORIZED,
  UNSUPPORTED_MEDIA_TYPE,
  TIMEOUT,
  NO_DESTINATION;

  String label() {
    return name().toLowerCase();
  }
}
