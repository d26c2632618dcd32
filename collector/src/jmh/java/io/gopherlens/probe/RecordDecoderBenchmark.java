package io.gopherlens.probe;

import static io.gopherlens.probe.RecordLayout.*;

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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding one poll batch as the native side writes it: TCP state changes (the high-rate
 * records) with a GC pause every eighth record. Score: records decoded per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecordDecoderBenchmark {
  static final int RECORDS = 2048;

  private final ByteBuffer batch = ByteBuffer.allocateDirect(RECORDS * TCP_SIZE).order(ByteOrder.nativeOrder());
  private final RecordDecoder decoder = new RecordDecoder();
  private int length;

  @Setup
  public void fill() {
    int off = 0;
    for (int i = 0; i < RECORDS; i++) {
      boolean gc = i % 8 == 7;
      int size = gc ? GC_PAUSE_SIZE : TCP_SIZE;
      batch.putShort(off + HEADER_KIND, (short) (gc ? KIND_GC_PAUSE : KIND_TCP_STATE));
      batch.putShort(off + HEADER_RECORD_SIZE, (short) size);
      batch.putInt(off + HEADER_PID, 1000 + i % 50);
      batch.putInt(off + HEADER_TID, 1000 + i % 50);
      batch.putLong(off + HEADER_TS_NS, 1_000_000L * i);
      if (gc) {
        batch.putLong(off + GC_PAUSE_STOP_NS, 1_000_000L * i - 40_000);
        batch.putLong(off + GC_PAUSE_DURATION_NS, 40_000);
        batch.put(off + GC_PAUSE_REASON, (byte) 1);
      } else {
        batch.put(off + TCP_SADDR, new byte[] {127, 0, 0, 1});
        batch.put(off + TCP_DADDR, new byte[] {127, 1, (byte) (i >> 8), (byte) i});
        batch.putShort(off + TCP_SPORT, (short) (40000 + i));
        batch.putShort(off + TCP_DPORT, (short) 8080);
        batch.putShort(off + TCP_FAMILY, (short) 2);
        batch.put(off + TCP_OLDSTATE, (byte) 2);
        batch.put(off + TCP_NEWSTATE, (byte) 1);
        batch.put(off + TCP_COMM, "client".getBytes(StandardCharsets.US_ASCII));
      }
      off += (size + 7) & ~7;
    }
    length = off;
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public void decodeBatch(Blackhole sink) {
    decoder.decode(batch, length, sink::consume);
  }
}
