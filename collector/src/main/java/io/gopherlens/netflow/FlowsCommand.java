package io.gopherlens.netflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gopherlens.agent.CommandArgs;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** `gopherlens flows`: a table of the busiest TCP flows, once or refreshed until Ctrl-C. */
public final class FlowsCommand {
  static final String USAGE =
      """
      Usage: java -jar gopherlens.jar flows [--pid P] [--json] [--interval DUR] [--top N] [--watch]

      Loads the TCP probe, watches for one interval (default 2s) and prints the busiest flows
      by bytes: process, peer, direction, connects and mean connect time, mean smoothed RTT,
      bytes each way, retransmits and failed connects. --watch refreshes every interval until
      Ctrl-C. Sees connections opened after it starts, plus the bytes and RTT of those.

      Options:
        --pid P          Only flows of this process
        --json           A JSON array instead of the table
        --interval DUR   Sampling interval (default 2s)
        --top N          Rows to show (default 20)
        --watch          Keep refreshing
        -h, --help       Show this help
      """;

  private final PrintStream out;
  private final PrintStream err;

  public FlowsCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  private record Options(int pid, boolean json, Duration interval, int top, boolean watch) {}

  public int run(String[] args) {
    CommandArgs.Parsed<Options> parsed = CommandArgs.parse("flows", USAGE, () -> parse(args), out, err);
    if (parsed.options() == null) {
      return parsed.exitCode();
    }
    if (!CommandArgs.privileged("flows", err)) {
      return 1;
    }
    Options o = parsed.options();
    try (NativeProbe probe = NativeProbe.open(new NativeProbe.Options(false, true, false, false, false, false))) {
      probe.attachTracepoints();
      FlowCollector flows = new FlowCollector(probe, 1000, 100_000, Integer.MAX_VALUE);
      do {
        Thread.sleep(o.interval().toMillis());
        flows.collect();
        print(flows.snapshot(), o);
      } while (o.watch());
      return 0;
    } catch (ProbeException e) {
      err.println("gopherlens flows: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private void print(List<Map.Entry<FlowKey, FlowTotals>> flows, Options o) {
    List<Map.Entry<FlowKey, FlowTotals>> rows =
        flows.stream()
            .filter(e -> o.pid() <= 0 || e.getKey().pid() == o.pid())
            .sorted(Comparator.comparingLong((Map.Entry<FlowKey, FlowTotals> e) -> -(e.getValue().bytesSent + e.getValue().bytesReceived))
                .thenComparingLong(e -> -e.getValue().connects))
            .limit(o.top())
            .toList();
    if (o.json()) {
      ObjectMapper mapper = new ObjectMapper();
      ArrayNode array = mapper.createArrayNode();
      for (Map.Entry<FlowKey, FlowTotals> e : rows) {
        FlowKey k = e.getKey();
        FlowTotals t = e.getValue();
        ObjectNode n = array.addObject();
        n.put("pid", k.pid());
        n.put("executable", t.attributes.get(FlowTable.PROCESS_EXECUTABLE_NAME));
        n.put("direction", k.server() ? "server" : "client");
        n.put("peerAddress", k.peerLabel());
        n.put(k.server() ? "localPort" : "peerPort", k.port());
        n.put("connects", t.connects);
        n.put("connectAvgMicros", t.connects == 0 ? 0 : t.connectMicrosSum / t.connects);
        n.put("rttAvgMicros", t.rttSamples == 0 ? 0 : t.rttMicrosSum / t.rttSamples);
        n.put("bytesSent", t.bytesSent);
        n.put("bytesReceived", t.bytesReceived);
        n.put("retransmits", t.retransmits);
        n.put("failed", t.failedTotal());
        n.put("closed", t.closed);
      }
      out.println(array.toPrettyString());
      return;
    }
    out.printf("%-7s %-16s %-6s %-40s %8s %10s %9s %10s %10s %7s %6s%n",
        "PID", "EXECUTABLE", "DIR", "PEER", "CONNECTS", "CONNECT", "RTT", "SENT", "RECEIVED", "RETRANS", "FAILED");
    for (Map.Entry<FlowKey, FlowTotals> e : rows) {
      FlowKey k = e.getKey();
      FlowTotals t = e.getValue();
      out.printf("%-7d %-16.16s %-6s %-40.40s %8d %10s %9s %10s %10s %7d %6d%n",
          k.pid(),
          t.attributes.get(FlowTable.PROCESS_EXECUTABLE_NAME),
          k.server() ? "server" : "client",
          k.server() ? k.peerLabel() + " -> :" + k.port() : k.peerLabel() + ":" + k.port(),
          t.connects,
          t.connects == 0 ? "-" : micros(t.connectMicrosSum / t.connects),
          t.rttSamples == 0 ? "-" : micros(t.rttMicrosSum / t.rttSamples),
          bytes(t.bytesSent),
          bytes(t.bytesReceived),
          t.retransmits,
          t.failedTotal());
    }
    if (rows.isEmpty()) {
      out.println("(no TCP connections opened in the last interval" + (o.pid() > 0 ? " by pid " + o.pid() : "") + ")");
    }
    out.println();
  }

  static String micros(long us) {
    return us >= 10_000 ? String.format("%.1fms", us / 1000.0) : us + "us";
  }

  static String bytes(long b) {
    if (b < 10_000) return b + "B";
    if (b < 10_000_000) return (b / 1024) + "KiB";
    return (b / (1024 * 1024)) + "MiB";
  }

  private static Options parse(String[] args) {
    int pid = 0;
    boolean json = false;
    boolean watch = false;
    int top = 20;
    Duration interval = Duration.ofSeconds(2);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> {
          return null;
        }
        case "--json" -> json = true;
        case "--watch" -> watch = true;
        case "--pid" -> pid = CommandArgs.positive(CommandArgs.value(args, ++i, a), a);
        case "--top" -> top = CommandArgs.positive(CommandArgs.value(args, ++i, a), a);
        case "--interval" -> interval = io.gopherlens.agent.Durations.parse(CommandArgs.value(args, ++i, a), a);
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    return new Options(pid, json, interval, top, watch);
  }
}
