package io.gopherlens.probe;

import static io.gopherlens.probe.RecordLayout.*;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Decodes a batch written by the native poll: whole records back to back, each 8-byte
 * aligned, each starting with gl_event_header. Unknown kinds and short records are counted
 * and skipped, never thrown, so a newer native library cannot break an older collector.
 */
public final class RecordDecoder {
  private long malformed;
  private long decoded;

  /** Decodes {@code length} bytes from the start of {@code batch}. */
  public void decode(ByteBuffer batch, int length, Consumer<? super ProbeEvent> sink) {
    ByteBuffer b = batch.duplicate().order(ByteOrder.nativeOrder());
    int off = 0;
    while (off + HEADER_SIZE <= length) {
      int kind = Short.toUnsignedInt(b.getShort(off + HEADER_KIND));
      int size = Short.toUnsignedInt(b.getShort(off + HEADER_RECORD_SIZE));
      if (size < HEADER_SIZE || off + size > length) {
        malformed++;
        return;
      }
      ProbeEvent event = decodeOne(b, off, kind, size);
      if (event != null) {
        decoded++;
        sink.accept(event);
      } else {
        malformed++;
      }
      off += (size + 7) & ~7;
    }
  }

  /** Records decoded and handed to the sink. */
  public long decoded() {
    return decoded;
  }

  /** Records skipped because their kind or size was not understood. */
  public long malformed() {
    return malformed;
  }

  private static ProbeEvent decodeOne(ByteBuffer b, int off, int kind, int size) {
    int pid = b.getInt(off + HEADER_PID);
    int tid = b.getInt(off + HEADER_TID);
    long ts = b.getLong(off + HEADER_TS_NS);
    switch (kind) {
      case KIND_PROC_EXEC:
        if (size != EXEC_SIZE) return null;
        return new ProbeEvent.ProcessExec(
            pid,
            tid,
            ts,
            b.getInt(off + EXEC_PPID),
            cString(b, off + EXEC_COMM, COMM_LEN),
            cString(b, off + EXEC_FILENAME, FILENAME_LEN));
      case KIND_PROC_EXIT:
        if (size != EXIT_SIZE) return null;
        return new ProbeEvent.ProcessExit(
            pid, ts, b.getInt(off + EXIT_PPID), b.getInt(off + EXIT_CODE), cString(b, off + EXIT_COMM, COMM_LEN));
      case KIND_TCP_STATE:
        if (size != TCP_SIZE) return null;
        int family = Short.toUnsignedInt(b.getShort(off + TCP_FAMILY));
        return new ProbeEvent.TcpStateChange(
            pid,
            ts,
            b.getLong(off + TCP_SKADDR),
            address(b, off + TCP_SADDR, family),
            Short.toUnsignedInt(b.getShort(off + TCP_SPORT)),
            address(b, off + TCP_DADDR, family),
            Short.toUnsignedInt(b.getShort(off + TCP_DPORT)),
            TcpState.of(Byte.toUnsignedInt(b.get(off + TCP_OLDSTATE))),
            TcpState.of(Byte.toUnsignedInt(b.get(off + TCP_NEWSTATE))),
            b.get(off + TCP_PID_SOURCE) == 0,
            cString(b, off + TCP_COMM, COMM_LEN));
      case KIND_GC_PAUSE:
        if (size != GC_PAUSE_SIZE) return null;
        return new ProbeEvent.GcPause(
            pid,
            ts,
            b.getLong(off + GC_PAUSE_STOP_NS),
            b.getLong(off + GC_PAUSE_DURATION_NS),
            b.getLong(off + GC_PAUSE_COOKIE),
            StwKind.of(Byte.toUnsignedInt(b.get(off + GC_PAUSE_REASON)), b.get(off + GC_PAUSE_MARKER)));
      case KIND_TCP_CLOSE:
        if (size != CLOSE_SIZE) return null;
        int closeFamily = Short.toUnsignedInt(b.getShort(off + CLOSE_FAMILY));
        return new ProbeEvent.TcpClose(
            pid,
            ts,
            address(b, off + CLOSE_SADDR, closeFamily),
            Short.toUnsignedInt(b.getShort(off + CLOSE_SPORT)),
            address(b, off + CLOSE_DADDR, closeFamily),
            Short.toUnsignedInt(b.getShort(off + CLOSE_DPORT)),
            b.get(off + CLOSE_DIRECTION) == 1,
            b.getLong(off + CLOSE_DURATION_US),
            b.getLong(off + CLOSE_BYTES_SENT),
            b.getLong(off + CLOSE_BYTES_RECEIVED),
            b.getInt(off + CLOSE_SRTT_US),
            b.getInt(off + CLOSE_RETRANSMITS),
            cString(b, off + CLOSE_COMM, COMM_LEN));
      case KIND_TCP_CONNECT_FAILED:
        if (size != FAILED_SIZE) return null;
        return new ProbeEvent.TcpConnectFailed(
            pid,
            ts,
            address(b, off + FAILED_DADDR, Short.toUnsignedInt(b.getShort(off + FAILED_FAMILY))),
            Short.toUnsignedInt(b.getShort(off + FAILED_DPORT)),
            ConnectFailure.of(b.getInt(off + FAILED_REASON)),
            b.getInt(off + FAILED_SK_ERR),
            b.getLong(off + FAILED_ELAPSED_US),
            cString(b, off + FAILED_COMM, COMM_LEN));
      case KIND_GC_START:
        if (size != GC_START_SIZE) return null;
        return new ProbeEvent.GcStart(
            pid,
            tid,
            ts,
            GcTrigger.of(b.getLong(off + GC_START_TRIGGER_KIND)),
            b.getLong(off + GC_START_TRIGGER_N),
            b.getLong(off + GC_START_COOKIE),
            b.getLong(off + GC_START_CONTROLLER),
            b.getLong(off + GC_START_MARK_START_NS),
            (int) b.getLong(off + GC_START_PROCS));
      case KIND_MAP_GROW:
        if (size != MAP_GROW_SIZE) return null;
        int depth = Math.min(Byte.toUnsignedInt(b.get(off + MAP_GROW_STACK_DEPTH)), MAP_STACK_DEPTH);
        long[] stack = new long[depth];
        for (int i = 0; i < depth; i++) {
          stack[i] = b.getLong(off + MAP_GROW_STACK + 8 * i);
        }
        MapImplementation impl = MapImplementation.of(Byte.toUnsignedInt(b.get(off + MAP_GROW_IMPL)));
        MapGrowthSite site = MapGrowthSite.of(Byte.toUnsignedInt(b.get(off + MAP_GROW_SITE)));
        if (impl == null || site == null) return null;
        return new ProbeEvent.MapGrowth(
            pid,
            tid,
            ts,
            b.getLong(off + MAP_GROW_COOKIE),
            b.getLong(off + MAP_GROW_MAP),
            impl,
            site,
            Byte.toUnsignedInt(b.get(off + MAP_GROW_LOG2_CAPACITY)),
            b.getLong(off + MAP_GROW_CAPACITY),
            b.getLong(off + MAP_GROW_ENTRIES),
            b.getLong(off + MAP_GROW_OWNED_BYTES),
            b.getLong(off + MAP_GROW_LOAD_BIAS),
            stack);
      default:
        return null;
    }
  }

  private static final int AF_INET = 2;

  /** IPv4 addresses sit in the first 4 of 16 bytes. */
  public static InetAddress address(ByteBuffer b, int off, int family) {
    byte[] raw = new byte[family == AF_INET ? 4 : 16];
    b.get(off, raw);
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always a valid address", e);
    }
  }

  /** A NUL-terminated string of at most {@code max} bytes. */
  public static String cString(ByteBuffer b, int off, int max) {
    int len = 0;
    while (len < max && b.get(off + len) != 0) {
      len++;
    }
    byte[] raw = new byte[len];
    b.get(off, raw);
    return new String(raw, StandardCharsets.UTF_8);
  }
}
