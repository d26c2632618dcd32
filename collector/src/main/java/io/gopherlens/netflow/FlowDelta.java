package io.gopherlens.netflow;

import static io.gopherlens.probe.RecordLayout.*;

import io.gopherlens.probe.RecordDecoder;
import java.nio.ByteBuffer;

/**
 * What the kernel aggregated for one flow since the last drain: a view over one (struct
 * gl_flow_key, struct gl_flow_stats) pair of native/include/tcp.h. Reused across pairs, so
 * decoding a drain allocates nothing per flow.
 */
final class FlowDelta {
  static final int PAIR_SIZE = FLOW_KEY_SIZE + FLOW_STATS_SIZE;

  private ByteBuffer buf;
  private int key;
  private int stats;

  FlowDelta at(ByteBuffer buf, int pairIndex) {
    this.buf = buf;
    this.key = pairIndex * PAIR_SIZE;
    this.stats = key + FLOW_KEY_SIZE;
    return this;
  }

  int pid() {
    return buf.getInt(key + FLOW_KEY_PID);
  }

  FlowKey flowKey() {
    int family = Short.toUnsignedInt(buf.getShort(key + FLOW_KEY_FAMILY));
    if (family == 0) {
      return new FlowKey(0, null, 0, false); // the kernel's overflow aggregate
    }
    return new FlowKey(
        pid(),
        RecordDecoder.address(buf, key + FLOW_KEY_PEER_ADDR, family),
        Short.toUnsignedInt(buf.getShort(key + FLOW_KEY_PORT)),
        buf.get(key + FLOW_KEY_DIRECTION) == 1);
  }

  String comm() {
    return RecordDecoder.cString(buf, stats + FLOW_COMM, 16);
  }

  long connects() {
    return buf.getLong(stats + FLOW_CONNECTS);
  }

  long connectMicrosSum() {
    return buf.getLong(stats + FLOW_CONNECT_US_SUM);
  }

  long rttSamples() {
    return buf.getLong(stats + FLOW_RTT_SAMPLES);
  }

  long rttMicrosSum() {
    return buf.getLong(stats + FLOW_RTT_US_SUM);
  }

  long retransmits() {
    return buf.getLong(stats + FLOW_RETRANSMITS);
  }

  long bytesSent() {
    return buf.getLong(stats + FLOW_BYTES_SENT);
  }

  long bytesReceived() {
    return buf.getLong(stats + FLOW_BYTES_RECEIVED);
  }

  long closed() {
    return buf.getLong(stats + FLOW_CLOSED);
  }

  long durationMicrosSum() {
    return buf.getLong(stats + FLOW_DURATION_US_SUM);
  }

  long failed(int reason) {
    return buf.getLong(stats + FLOW_FAILED + 8 * reason);
  }

  long connectBucket(int slot) {
    return Integer.toUnsignedLong(buf.getInt(stats + FLOW_CONNECT_HIST + 4 * slot));
  }

  long rttBucket(int slot) {
    return Integer.toUnsignedLong(buf.getInt(stats + FLOW_RTT_HIST + 4 * slot));
  }
}
