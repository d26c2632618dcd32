package io.gopherlens.netflow;

import static io.gopherlens.probe.RecordLayout.*;

import io.gopherlens.k8s.ProcessMetadata;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One drain of 5,000 kernel flow aggregates (20 processes x 250 loopback peers) into the flow
 * table, in steady state (every series exists). Score: flows aggregated per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FlowTableBenchmark {
  static final int FLOWS = 5000;

  private final ByteBuffer drain = ByteBuffer.allocateDirect(FLOWS * FlowDelta.PAIR_SIZE).order(ByteOrder.nativeOrder());
  private final FlowDelta delta = new FlowDelta();
  private FlowTable table;

  @Setup
  public void fill() {
    for (int i = 0; i < FLOWS; i++) {
      int key = i * FlowDelta.PAIR_SIZE;
      int stats = key + FLOW_KEY_SIZE;
      drain.putInt(key + FLOW_KEY_PID, 1000 + i % 20);
      drain.putShort(key + FLOW_KEY_PORT, (short) 8080);
      drain.putShort(key + FLOW_KEY_FAMILY, (short) 2);
      drain.put(key + FLOW_KEY_DIRECTION, (byte) 0);
      drain.put(key + FLOW_KEY_PEER_ADDR, new byte[] {127, 2, (byte) (i >> 8), (byte) i});
      drain.putLong(stats + FLOW_CONNECTS, 3);
      drain.putLong(stats + FLOW_CONNECT_US_SUM, 150);
      drain.putLong(stats + FLOW_RTT_SAMPLES, 1);
      drain.putLong(stats + FLOW_RTT_US_SUM, 40);
      drain.putLong(stats + FLOW_BYTES_SENT, 4096);
      drain.putLong(stats + FLOW_BYTES_RECEIVED, 65536);
      drain.put(stats + FLOW_COMM, "client".getBytes(StandardCharsets.US_ASCII));
    }
    table = new FlowTable(FLOWS, 2 * FLOWS, 1_000_000, new ProcessMetadata());
    aggregateDrain();
  }

  @Benchmark
  @OperationsPerInvocation(FLOWS)
  public void aggregateDrain() {
    table.beginTick();
    for (int i = 0; i < FLOWS; i++) {
      table.add(delta.at(drain, i));
    }
  }
}
