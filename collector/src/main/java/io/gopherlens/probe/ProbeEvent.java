package io.gopherlens.probe;

import java.net.InetAddress;

/** A record decoded from the probe's ring buffers. Times are CLOCK_MONOTONIC nanoseconds. */
public sealed interface ProbeEvent {
  int pid();

  long monotonicNanos();

  /** A process called execve successfully. */
  record ProcessExec(int pid, int tid, long monotonicNanos, int ppid, String comm, String filename)
      implements ProbeEvent {}

  /** A process (its thread-group leader) exited; {@code exitStatus} is the raw wait status. */
  record ProcessExit(int pid, long monotonicNanos, int ppid, int exitStatus, String comm)
      implements ProbeEvent {}

  /**
   * A TCP socket changed state. {@code pidFromOwner} is false when the socket's opener was
   * unknown and the pid is merely the task that was running (softirq context).
   */
  record TcpStateChange(
      int pid,
      long monotonicNanos,
      long socketAddress,
      InetAddress localAddress,
      int localPort,
      InetAddress remoteAddress,
      int remotePort,
      TcpState oldState,
      TcpState newState,
      boolean pidFromOwner,
      String comm)
      implements ProbeEvent {}

  /** A Go stop-the-world pause ended; {@code kind} says whether it belonged to a GC cycle. */
  record GcPause(int pid, long monotonicNanos, long stopNanos, long durationNanos, long cookie, StwKind kind)
      implements ProbeEvent {}

  /** A connection closed (sent only when close events are enabled): the tcplife record. */
  record TcpClose(
      int pid,
      long monotonicNanos,
      InetAddress localAddress,
      int localPort,
      InetAddress remoteAddress,
      int remotePort,
      boolean server,
      long durationMicros,
      long bytesSent,
      long bytesReceived,
      int smoothedRttMicros,
      int retransmits,
      String comm)
      implements ProbeEvent {}

  /** A connect() that never reached ESTABLISHED. */
  record TcpConnectFailed(
      int pid,
      long monotonicNanos,
      InetAddress remoteAddress,
      int remotePort,
      ConnectFailure reason,
      int socketError,
      long elapsedMicros,
      String comm)
      implements ProbeEvent {}

  /**
   * A Go GC cycle started. {@code cookie} names the attachment (the binary); {@code
   * controllerAddress} is &runtime.gcController in the process, learned from the method's
   * receiver (works on stripped binaries).
   */
  record GcStart(
      int pid,
      int tid,
      long monotonicNanos,
      GcTrigger trigger,
      long triggerN,
      long cookie,
      long controllerAddress,
      long markStartNanos,
      int procs)
      implements ProbeEvent {}

  /**
   * A large Go map grew (native/include/maps.h). Only growths whose map owns at least
   * {@code maps.min_bytes} are reported, so small maps never appear.
   *
   * @param cookie the uprobe cookie: {@code GoProcessTracker.binaryId(cookie)} names the binary
   * @param mapAddress the {@code *runtime.hmap} (classic) or {@code *internal/runtime/maps.Map}
   *     (Swiss): what {@code *(*uintptr)(unsafe.Pointer(&m))} gives inside the program
   * @param log2Capacity classic: B after the growth; Swiss: the directory's globalDepth after it
   * @param capacity classic: buckets after the growth (1 << B); Swiss: directory entries after it
   * @param entries live entries when the growth started
   * @param ownedBytes classic: bytes of the new bucket array (exact); Swiss: entries x GroupSize
   *     / 8, a lower bound of the tables' bytes
   * @param loadBias runtime minus link-time address (0 unless PIE): subtract it from {@code
   *     stack} before symbolizing with the binary's pclntab ({@code goproc.GoStack})
   * @param stack return addresses from the frame-pointer chain, innermost first (runtime
   *     frames first, then the code that grew the map); at most 16
   */
  record MapGrowth(
      int pid,
      int tid,
      long monotonicNanos,
      long cookie,
      long mapAddress,
      MapImplementation implementation,
      MapGrowthSite site,
      int log2Capacity,
      long capacity,
      long entries,
      long ownedBytes,
      long loadBias,
      long[] stack)
      implements ProbeEvent {}
}
