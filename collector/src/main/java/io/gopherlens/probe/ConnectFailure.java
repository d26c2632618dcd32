package io.gopherlens.probe;

/** Why a connect failed (enum gl_connect_failure), named as error.type values. */
public enum ConnectFailure {
  REFUSED("refused"),
  RESET("reset"),
  TIMEOUT("timeout"),
  OTHER("aborted");

  private final String errorType;

  ConnectFailure(String errorType) {
    this.errorType = errorType;
  }

  public String errorType() {
    return errorType;
  }

  public static ConnectFailure of(int reason) {
    ConnectFailure[] all = values();
    return reason >= 0 && reason < all.length ? all[reason] : OTHER;
  }
}
