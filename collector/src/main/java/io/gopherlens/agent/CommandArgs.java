package io.gopherlens.agent;

/** The argument checks the subcommands share, with the messages they print before their usage. */
public final class CommandArgs {
  private CommandArgs() {}

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
