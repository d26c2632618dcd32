package io.gopherlens.agent;

import java.io.PrintStream;

/** `gopherlens config --print-defaults`: the documented config file, generated from the settings. */
public final class ConfigCommand {
  static final String USAGE =
      """
      Usage: java -jar gopherlens.jar config --print-defaults

      Prints a config file with every agent setting at its default, with its help, flag and
      environment variable (the file installed as /etc/gopherlens/config.yaml).
      """;

  private final PrintStream out;
  private final PrintStream err;

  public ConfigCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run(String[] args) {
    if (args.length == 1 && args[0].equals("--print-defaults")) {
      out.print(ConfigTemplate.render());
      return 0;
    }
    if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
      out.print(USAGE);
      return 0;
    }
    err.println("gopherlens config: expected --print-defaults");
    err.print(USAGE);
    return 2;
  }
}
