package io.gopherlens.agent;

import io.gopherlens.log.Log;
import io.gopherlens.probe.ProbeException;
import java.io.PrintStream;

/** `gopherlens agent`: parses options, checks privileges, runs the agent until a signal. */
public final class AgentCommand {
  static final String USAGE =
      """
      Usage: java -jar gopherlens.jar agent [options]

      Loads the eBPF probe, watches every Go process (GC cycles) and every TCP connection on this
      host (connect latency, RTT, retransmits, bytes, failures), serves Prometheus metrics, and
      prints events as JSON lines on stdout. Logs go to stderr.
      Stops on SIGINT or SIGTERM and detaches every probe it attached.

      Options:
        --prometheus HOST:PORT  Prometheus endpoint (/metrics, /healthz, /readyz), or "off"
                                (default 127.0.0.1:9464; env GOPHERLENS_PROMETHEUS_LISTEN)
        --events stdout|off     Where events go (default stdout; env GOPHERLENS_EVENTS)
        --no-tcp-events         Aggregate TCP flows but print no line per state change or failed connect
        --tcp-close-events      Print one line per closed connection: duration, bytes, RTT, retransmits
        --flow-interval DUR     How often TCP flows are sampled and drained (default 10s)
        --max-peers N           Peer series per process and direction before the rest fold into
                                network.peer.address="_other" (default 50)
        --gc-pause-threshold DUR  GC pauses at least this long get a line of their own (default 5ms)
        --log-level LEVEL       debug, info, warn or error (default info)
        -h, --help              Show this help
      """;

  private final PrintStream out;
  private final PrintStream err;

  public AgentCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run(String[] args) {
    AgentConfig config;
    try {
      config = parse(args, AgentConfig.fromEnvironment(System.getenv()));
    } catch (IllegalArgumentException e) {
      err.println("gopherlens agent: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (config == null) {
      out.print(USAGE);
      return 0;
    }
    String privilege = Privileges.problem();
    if (privilege != null) {
      err.println("gopherlens agent: " + privilege);
      return 1;
    }
    Agent agent = new Agent(config);
    Thread hook = new Thread(agent::close, "gopherlens-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      agent.start();
      agent.awaitStop();
      return 0;
    } catch (ProbeException e) {
      err.println("gopherlens agent: " + e.getMessage() + hint(e.errno()));
      agent.close();
      return 1;
    } catch (RuntimeException e) {
      err.println("gopherlens agent: " + e.getMessage());
      agent.close();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static String hint(int errno) {
    return switch (errno) {
      case 1, 13 -> "\nBPF was refused: check kernel.unprivileged_bpf_disabled, lockdown mode, or the container's seccomp/capabilities";
      case 2 -> "\nA kernel feature or file is missing: gopherlens needs BTF (/sys/kernel/btf/vmlinux) and tracepoint support";
      default -> "";
    };
  }

  /** Returns null when help was asked for. */
  static AgentConfig parse(String[] args, AgentConfig base) {
    AgentConfig c = base;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> {
          return null;
        }
        case "--prometheus" -> c = c.withPrometheusListen(value(args, ++i, a));
        case "--events" -> c = c.withEvents(value(args, ++i, a));
        case "--no-tcp-events" -> c = c.withTcpEvents(false);
        case "--tcp-close-events" -> c = c.withTcpCloseEvents(true);
        case "--flow-interval" -> c = c.withFlowInterval(value(args, ++i, a));
        case "--max-peers" -> c = c.withMaxPeersPerProcess(value(args, ++i, a));
        case "--gc-pause-threshold" -> c = c.withGcPauseThreshold(value(args, ++i, a));
        case "--log-level" -> {
          String level = value(args, ++i, a);
          try {
            Log.setLevel(Log.Level.valueOf(level.toUpperCase()));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--log-level must be debug, info, warn or error, not '" + level + "'");
          }
        }
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    return c;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
