package io.gopherlens.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gopherlens.goproc.GoProcessTracker;
import io.gopherlens.goproc.ProbeCatalog;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeEvent;
import io.gopherlens.probe.TcpState;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.ProbeEvents;
import io.gopherlens.testing.GoToolchain.Variant;
import io.gopherlens.testing.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real probe in this kernel against real Go programs: GC cycle-start uprobes (inside
 * runtime.gcStart) resolved from .gopclntab (stripped too) and TCP state changes, checked against what the program itself
 * reports. Needs root; fails (never skips) when the probe cannot load.
 */
class SpineIntegrationTest {
  static Stream<Arguments> builds() {
    return Stream.of(
        Arguments.of(GoToolchain.GO_1_19, Variant.DEFAULT),
        Arguments.of(GoToolchain.GO_1_19, Variant.STRIPPED),
        Arguments.of(GoToolchain.GO_1_24, Variant.DEFAULT),
        Arguments.of(GoToolchain.GO_1_24, Variant.STRIPPED),
        Arguments.of(GoToolchain.GO_1_27, Variant.STRIPPED));
  }

  @ParameterizedTest(name = "go {0} {1}")
  @MethodSource("builds")
  void probe_goWorkload_gcCycleStartsEqualNumGcDeltaAndTcpCarriesPid(GoToolchain go, Variant variant) throws Exception {
    Path binary = go.build(GoToolchain.workload("spine"), variant);
    List<ProbeEvent> events = new ArrayList<>();
    try (NativeProbe probe = NativeProbe.open(NativeProbe.Options.all());
        GoProcessTracker tracker = new GoProcessTracker(probe, ProbeCatalog.AGENT);
        Workload workload = Workload.start(binary, "30")) {
      probe.attachTracepoints();
      JsonNode ready = workload.next();
      int pid = workload.pid();
      tracker.onExec(pid);
      tracker.awaitIdle();
      assertThat(tracker.process(pid)).as("tracker watches the Go process").isPresent();

      workload.proceed();
      JsonNode done = workload.next();
      ProbeEvents.drain(probe, events);
      workload.proceed();
      assertThat(workload.awaitExit()).isZero();

      long numGcDelta = done.get("numgc").asLong() - ready.get("numgc").asLong();
      long cycleStarts = events.stream().filter(e -> e instanceof ProbeEvent.GcStart && e.pid() == pid).count();
      assertThat(numGcDelta).as("workload ran GCs").isGreaterThanOrEqualTo(30);
      assertThat(cycleStarts).as("GC cycle-start events vs runtime.NumGC delta").isEqualTo(numGcDelta);

      int port = done.get("tcp_port").asInt();
      List<ProbeEvent.TcpStateChange> client =
          events.stream()
              .filter(e -> e instanceof ProbeEvent.TcpStateChange)
              .map(e -> (ProbeEvent.TcpStateChange) e)
              .filter(t -> t.remotePort() == port && t.pid() == pid && t.pidFromOwner())
              .toList();
      assertThat(client)
          .extracting(ProbeEvent.TcpStateChange::newState)
          .as("client side of the workload's loopback connection")
          .contains(TcpState.SYN_SENT, TcpState.ESTABLISHED);
      assertThat(client).allSatisfy(t -> assertThat(t.remoteAddress().getHostAddress()).isEqualTo("127.0.0.1"));
      assertThat(probe.drops().ringBufferFull()).isZero();
    }
  }
}
