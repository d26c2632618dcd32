package io.gopherlens.receiver;

import io.gopherlens.agent.AgentCommand;
import io.gopherlens.agent.AgentConfig;
import io.gopherlens.agent.CommandArgs;
import java.io.PrintStream;

/** `gopherlens gateway`: the OTLP receiver and exporters, no probe, no root. */
public final class GatewayCommand {
  static final String USAGE =
      """
      Usage: java -jar gopherlens.jar gateway [options]

      Receives OTLP/HTTP (default 127.0.0.1:4318) and OTLP/gRPC (127.0.0.1:4317) from other
      exporters and sends it on like the agent sends its own data: Prometheus endpoint, OTLP,
      remote write, Loki. Loads no eBPF probe and needs no privileges. Takes the agent's options
      (`agent --help`); the receiver.* and export ones apply here. Stops on SIGINT or SIGTERM.
      """;

  private final PrintStream out;
  private final PrintStream err;

  public GatewayCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run(String[] args) {
    CommandArgs.Parsed<AgentConfig> parsed =
        CommandArgs.parse("gateway", USAGE, () -> AgentCommand.parse(args, System.getenv()), out, err);
    if (parsed.options() == null) {
      return parsed.exitCode();
    }
    Gateway gateway = new Gateway(parsed.options());
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gopherlens-shutdown"));
    try {
      gateway.start();
      gateway.awaitStop();
      return 0;
    } catch (RuntimeException e) {
      err.println("gopherlens gateway: " + e.getMessage());
      gateway.close();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
