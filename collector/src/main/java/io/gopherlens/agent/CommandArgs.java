package io.gopherlens.agent;

import java.io.PrintStream;
import java.util.function.Supplier;

/** The argument checks the subcommands share, with the messages they print before their usage. */
public final class CommandArgs {
  private CommandArgs() {}

  /**
   * The options a subcommand's parser returns, or, with {@code options == null}, the exit code it
   * stops with: 0 after printing the usage for help (the parser returned null), 2 after a usage error.
   */
  public record Parsed<T>(T options, int exitCode) {}

  public static <T> Parsed<T> parse(String command, String usage, Supplier<T> parser, PrintStream out, PrintStream err) {
    T options;
    try {
      options = parser.get();
    } catch (IllegalArgumentException e) {
      err.println("gopherlens " + command + ": " + e.getMessage());
      err.print(usage);
      return new Parsed<>(null, 2);
    }
    if (options == null) {
      out.print(usage);
      return new Parsed<>(null, 0);
    }
    return new Parsed<>(options, 0);
  }

  /** False, after saying why on {@code err}, when this process may not load the probe. */
  public static boolean privileged(String command, PrintStream err) {
    String problem = Privileges.problem();
    if (problem != null) {
      err.println("gopherlens " + command + ": " + problem);
      return false;
    }
    return true;
  }

  /** The value after {@code flag} at {@code args[i]}. */
  public static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
    return args[i];
  }

  public static int positive(String v, String flag) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a positive whole number, not '" + v + "'");
  }
}
