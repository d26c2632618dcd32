package io.gopherlens.agent;

import io.gopherlens.log.Log;
import io.gopherlens.probe.ProbeException;
import java.io.PrintStream;

/** `gopherlens agent`: parses options, checks privileges, runs the agent until a signal. */
public final class AgentCommand {
  private static final Log LOG = Log.of(AgentCommand.class);
  static final String USAGE =
      """
      Usage: java -jar gopherlens.jar agent [options]

      Loads the eBPF probe, watches every Go process (GC cycles, heap) and every TCP connection on
      this host (connect latency, RTT, retransmits, bytes, failures), serves Prometheus metrics, and
      prints events as JSON lines on stdout. Logs go to stderr as JSON lines.
      Stops on SIGINT or SIGTERM and detaches every probe it attached.
      Precedence: flag, then environment variable, then config file, then default.

      Options:
      """
          + AgentConfig.optionsHelp()
          + "  -h, --help\n      Show this help\n";

  private final PrintStream out;
  private final PrintStream err;

  public AgentCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run(String[] args) {
    CommandArgs.Parsed<AgentConfig> parsed = CommandArgs.parse("agent", USAGE, () -> parse(args, System.getenv()), out, err);
    if (parsed.options() == null) {
      return parsed.exitCode();
    }
    if (!CommandArgs.privileged("agent", err)) {
      return 1;
    }
    AgentConfig config = parsed.options();
    for (String missing : Privileges.degraded()) {
      LOG.warn("running with fewer capabilities than gopherlens needs", "problem", missing);
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
  public static AgentConfig parse(String[] args, java.util.Map<String, String> env) {
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help")) return null;
    }
    AgentConfig c = AgentConfig.resolve(java.util.List.of(args), env);
    String level = c.string(AgentOptions.LOG_LEVEL);
    try {
      Log.setLevel(Log.Level.valueOf(level.toUpperCase()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("log level must be debug, info, warn or error, not '" + level + "'");
    }
    return c;
  }
}
