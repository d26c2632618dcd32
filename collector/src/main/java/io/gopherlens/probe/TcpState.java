package io.gopherlens.probe;

/** Linux TCP states in the kernel's numbering (include/net/tcp_states.h). */
public enum TcpState {
  UNKNOWN,
  ESTABLISHED,
  SYN_SENT,
  SYN_RECV,
  FIN_WAIT1,
  FIN_WAIT2,
  TIME_WAIT,
  CLOSE,
  CLOSE_WAIT,
  LAST_ACK,
  LISTEN,
  CLOSING,
  NEW_SYN_RECV;

  private static final TcpState[] BY_NUMBER = values();

  public static TcpState of(int number) {
    return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : UNKNOWN;
  }
}
