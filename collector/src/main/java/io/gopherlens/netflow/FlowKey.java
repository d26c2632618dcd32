package io.gopherlens.netflow;

import java.net.InetAddress;

/**
 * One series of TCP flow metrics: a process, a peer, a port and who connected. The port is the
 * peer's when this process is the client and the local listening port when it is the server
 * (peers connect from ephemeral ports). A peer of {@link #OTHER_PEER} holds the flows folded
 * away by the per-process cap.
 */
public record FlowKey(int pid, InetAddress peerAddress, int port, boolean server) {
  /** Address label of the aggregate that collects a process's flows beyond its cap. */
  public static final String OTHER_PEER = "_other";

  public boolean isFolded() {
    return peerAddress == null;
  }

  public FlowKey folded() {
    return new FlowKey(pid, null, 0, server);
  }

  public String peerLabel() {
    return peerAddress == null ? OTHER_PEER : peerAddress.getHostAddress();
  }

  public String networkType() {
    return peerAddress == null ? "unknown" : peerAddress.getAddress().length == 4 ? "ipv4" : "ipv6";
  }
}
