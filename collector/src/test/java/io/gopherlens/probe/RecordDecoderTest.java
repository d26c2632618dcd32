package io.gopherlens.probe;

import static io.gopherlens.probe.RecordLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
  private final ByteBuffer buf = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());

  private int header(int off, int kind, int size, int pid) {
    buf.putShort(off + HEADER_KIND, (short) kind);
    buf.putShort(off + HEADER_RECORD_SIZE, (short) size);
    buf.putInt(off + HEADER_PID, pid);
    buf.putInt(off + HEADER_TID, pid + 1);
    buf.putLong(off + HEADER_TS_NS, 123_456_789L);
    return off + ((size + 7) & ~7);
  }

  @Test
  void decode_batchOfMixedRecords_yieldsEachEvent() throws Exception {
    int off = 0;
    buf.putLong(GC_START_TRIGGER_KIND, 2);
    buf.putLong(GC_START_TRIGGER_N, 7);
    buf.putLong(GC_START_COOKIE, 3);
    buf.putLong(GC_START_CONTROLLER, 0xc000_1000L);
    buf.putLong(GC_START_MARK_START_NS, 99);
    buf.putLong(GC_START_PROCS, 2);
    off = header(off, KIND_GC_START, GC_START_SIZE, 100);

    int tcp = off;
    buf.put(tcp + TCP_SADDR, new byte[] {127, 0, 0, 1});
    buf.put(tcp + TCP_DADDR, new byte[] {10, 1, 2, 3});
    buf.putShort(tcp + TCP_SPORT, (short) 40000);
    buf.putShort(tcp + TCP_DPORT, (short) 443);
    buf.putShort(tcp + TCP_FAMILY, (short) 2);
    buf.put(tcp + TCP_OLDSTATE, (byte) 2);
    buf.put(tcp + TCP_NEWSTATE, (byte) 1);
    buf.put(tcp + TCP_PID_SOURCE, (byte) 0);
    buf.put(tcp + TCP_COMM, "curl".getBytes(StandardCharsets.UTF_8));
    off = header(off, KIND_TCP_STATE, TCP_SIZE, 200);

    int exec = off;
    buf.put(exec + EXEC_FILENAME, "/usr/bin/app".getBytes(StandardCharsets.UTF_8));
    off = header(off, KIND_PROC_EXEC, EXEC_SIZE, 300);

    List<ProbeEvent> events = new ArrayList<>();
    RecordDecoder decoder = new RecordDecoder();
    decoder.decode(buf, off, events::add);

    assertThat(events).hasSize(3);
    assertThat(decoder.decoded()).isEqualTo(3);
    assertThat(events.get(0)).isEqualTo(new ProbeEvent.GcStart(100, 101, 123_456_789L, GcTrigger.CYCLE, 7, 3, 0xc000_1000L, 99, 2));
    ProbeEvent.TcpStateChange t = (ProbeEvent.TcpStateChange) events.get(1);
    assertThat(t.localAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(t.remoteAddress()).isEqualTo(InetAddress.getByName("10.1.2.3"));
    assertThat(t.localPort()).isEqualTo(40000);
    assertThat(t.remotePort()).isEqualTo(443);
    assertThat(t.oldState()).isEqualTo(TcpState.SYN_SENT);
    assertThat(t.newState()).isEqualTo(TcpState.ESTABLISHED);
    assertThat(t.pidFromOwner()).isTrue();
    assertThat(t.comm()).isEqualTo("curl");
    assertThat(((ProbeEvent.ProcessExec) events.get(2)).filename()).isEqualTo("/usr/bin/app");
    assertThat(decoder.malformed()).isZero();
  }

  @Test
  void decode_unknownKindOrBadSize_countsAndSkips() {
    int off = header(0, 99, 32, 1);
    off = header(off, KIND_GC_START, GC_START_SIZE - 8, 2); // wrong size for its kind
    off = header(off, KIND_GC_START, GC_START_SIZE, 3);
    List<ProbeEvent> events = new ArrayList<>();
    RecordDecoder decoder = new RecordDecoder();

    decoder.decode(buf, off, events::add);

    assertThat(events).extracting(ProbeEvent::pid).containsExactly(3);
    assertThat(decoder.malformed()).isEqualTo(2);
  }

  @Test
  void decode_sizeRunningPastBatch_stopsWithoutThrowing() {
    header(0, KIND_GC_START, 4000, 1);
    RecordDecoder decoder = new RecordDecoder();

    decoder.decode(buf, 64, e -> {});

    assertThat(decoder.malformed()).isEqualTo(1);
  }

  @Test
  void decode_mapGrowth_yieldsAddressCapacityAndOnlyTheValidStackEntries() {
    buf.putLong(MAP_GROW_MAP, 0xc000_0a_2000L);
    buf.putLong(MAP_GROW_COOKIE, 0x105);
    buf.putLong(MAP_GROW_OWNED_BYTES, 78_336);
    buf.putLong(MAP_GROW_ENTRIES, 3_329);
    buf.putLong(MAP_GROW_CAPACITY, 512);
    buf.putLong(MAP_GROW_LOAD_BIAS, 0x5555_0000_0000L);
    buf.put(MAP_GROW_IMPL, (byte) 1);
    buf.put(MAP_GROW_SITE, (byte) 1);
    buf.put(MAP_GROW_LOG2_CAPACITY, (byte) 9);
    buf.put(MAP_GROW_STACK_DEPTH, (byte) 3);
    for (int i = 0; i < MAP_STACK_DEPTH; i++) {
      buf.putLong(MAP_GROW_STACK + 8 * i, 0x40_1000L + i);
    }
    int end = header(0, KIND_MAP_GROW, MAP_GROW_SIZE, 400);

    List<ProbeEvent> events = new ArrayList<>();
    new RecordDecoder().decode(buf, end, events::add);

    assertThat(events).hasSize(1);
    ProbeEvent.MapGrowth g = (ProbeEvent.MapGrowth) events.get(0);
    assertThat(g.mapAddress()).isEqualTo(0xc000_0a_2000L);
    assertThat(g.implementation()).isEqualTo(MapImplementation.CLASSIC);
    assertThat(g.site()).isEqualTo(MapGrowthSite.CLASSIC_GROW);
    assertThat(g.log2Capacity()).isEqualTo(9);
    assertThat(g.capacity()).isEqualTo(512);
    assertThat(g.entries()).isEqualTo(3_329);
    assertThat(g.ownedBytes()).isEqualTo(78_336);
    assertThat(g.loadBias()).isEqualTo(0x5555_0000_0000L);
    assertThat(g.cookie()).isEqualTo(0x105);
    assertThat(g.stack()).containsExactly(0x40_1000L, 0x40_1001L, 0x40_1002L);
  }

  @Test
  void decode_mapGrowthOfUnknownImplementation_isCountedAsMalformed() {
    buf.put(MAP_GROW_IMPL, (byte) 9);
    buf.put(MAP_GROW_SITE, (byte) 1);
    int end = header(0, KIND_MAP_GROW, MAP_GROW_SIZE, 400);
    RecordDecoder decoder = new RecordDecoder();
    List<ProbeEvent> events = new ArrayList<>();

    decoder.decode(buf, end, events::add);

    assertThat(events).isEmpty();
    assertThat(decoder.malformed()).isEqualTo(1);
  }
}
