package io.gopherlens;

import io.gopherlens.agent.AgentCommand;
import io.gopherlens.agent.ConfigCommand;
import io.gopherlens.gomaps.DemoCommand;
import io.gopherlens.gomaps.MapsCommand;
import io.gopherlens.goproc.InspectCommand;
import io.gopherlens.netflow.FlowsCommand;
import io.gopherlens.receiver.GatewayCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Properties;

/** Command-line entry point: dispatches to one subcommand. Exit codes: 0 ok, 1 failure, 2 usage. */
public final class Main {
  static final String USAGE =
      """
      gopherlens - eBPF observability for Go services and TCP flows, from outside the process

      Usage: java -jar gopherlens.jar <command> [options]

      Commands:
        demo       Start here: builds and runs a small Go program whose map keeps its memory after
                   deletes, and shows gopherlens finding it live (needs a Go toolchain).
        agent      Load the eBPF probe and watch every Go process and TCP connection on this host
                   until SIGINT/SIGTERM; serve Prometheus metrics and print events as JSON lines.
                   Run `agent --help` for its options.
        gateway    Receive OTLP/HTTP and OTLP/gRPC from other exporters and send it on like the
                   agent's own data; no probe, no root. Run `gateway --help`.
        flows      Show the busiest TCP flows (connect time, RTT, bytes, retransmits) per process.
        inspect    Show what gopherlens reads from a Go binary or process: version, build flavour,
                   probe points and their file offsets. `inspect <pid|path> [--json]`.
        maps       Show a Go process's maps by the memory they own, where each was created, and
                   which keep memory after deletes. `maps <pid> [--json] [--top N] [--watch-for DUR]`.
        config     Print the config file with every agent setting at its default (`config --print-defaults`).

      Options:
        -h, --help     Show this help and exit
        -V, --version  Print the version and exit

      Needs root (or CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, and CAP_SYS_ADMIN for
      uprobes on kernels that refuse them to CAP_PERFMON) and a kernel with BTF.
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "-h", "--help", "help":
        out.print(USAGE);
        return 0;
      case "-V", "--version", "version":
        out.println("gopherlens " + version());
        return 0;
      case "agent":
        return new AgentCommand(out, err).run(rest);
      case "gateway":
        return new GatewayCommand(out, err).run(rest);
      case "flows":
        return new FlowsCommand(out, err).run(rest);
      case "inspect":
        return new InspectCommand(out, err).run(rest);
      case "config":
        return new ConfigCommand(out, err).run(rest);
      case "demo":
        return new DemoCommand(out, err).run(rest);
      case "maps":
        return new MapsCommand(out, err).run(rest);
      default:
        err.println("gopherlens: unknown command '" + args[0] + "'");
        err.print(USAGE);
        return 2;
    }
  }

  public static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
