package io.gopherlens.netflow;

import io.gopherlens.probe.RecordLayout;
import io.opentelemetry.api.common.Attributes;

/** Cumulative counters and histogram buckets of one flow series since it was first seen. */
final class FlowTotals {
  static final int SLOTS = RecordLayout.FLOW_HIST_SLOTS;
  static final int FAILURE_REASONS = RecordLayout.FLOW_FAILURE_REASONS;

  final long startEpochNanos;
  final Attributes attributes;
  long lastActiveTick;

  long connects;
  long connectMicrosSum;
  final long[] connectBuckets = new long[SLOTS];
  long rttSamples;
  long rttMicrosSum;
  final long[] rttBuckets = new long[SLOTS];
  long retransmits;
  long bytesSent;
  long bytesReceived;
  long closed;
  long durationMicrosSum;
  final long[] failed = new long[FAILURE_REASONS];

  FlowTotals(long startEpochNanos, Attributes attributes) {
    this.startEpochNanos = startEpochNanos;
    this.attributes = attributes;
  }

  void add(FlowDelta d, long tick) {
    lastActiveTick = tick;
    connects += d.connects();
    connectMicrosSum += d.connectMicrosSum();
    rttSamples += d.rttSamples();
    rttMicrosSum += d.rttMicrosSum();
    retransmits += d.retransmits();
    bytesSent += d.bytesSent();
    bytesReceived += d.bytesReceived();
    closed += d.closed();
    durationMicrosSum += d.durationMicrosSum();
    for (int i = 0; i < FAILURE_REASONS; i++) {
      failed[i] += d.failed(i);
    }
    for (int i = 0; i < SLOTS; i++) {
      connectBuckets[i] += d.connectBucket(i);
      rttBuckets[i] += d.rttBucket(i);
    }
  }

  long failedTotal() {
    long sum = 0;
    for (long f : failed) sum += f;
    return sum;
  }
}
