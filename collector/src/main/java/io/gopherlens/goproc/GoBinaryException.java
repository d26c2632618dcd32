package io.gopherlens.goproc;

/**
 * The only exception the binary readers in this package throw, whatever the input: callers
 * scanning every process on a host catch one type and move on. The message is one line:
 * {@code <what failed>: <file>: <detail>}.
 *
 * <p>Unchecked because parsing is lazy: a corrupt table may be noticed by a lookup long after
 * {@link GoBinary#open} returned.
 */
public final class GoBinaryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a file could not be analysed; lets callers tell "not Go" (common) from damage. */
  public enum Reason {
    /** The file could not be read at all. */
    IO("cannot read"),
    /** Not an ELF file. */
    NOT_ELF("not an ELF file"),
    /** A valid ELF file without Go's tables. */
    NOT_GO_BINARY("not a Go binary"),
    /** An ELF flavour this reader does not handle (32-bit, big-endian, not x86-64, > 2 GiB). */
    UNSUPPORTED("unsupported binary"),
    /** Headers or Go tables that contradict themselves or point outside the file. */
    CORRUPT("truncated or corrupt");

    private final String prefix;

    Reason(String prefix) {
      this.prefix = prefix;
    }
  }

  private final Reason reason;

  private GoBinaryException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  static GoBinaryException io(String source, Throwable cause) {
    return new GoBinaryException(Reason.IO, Reason.IO.prefix + " " + source + ": " + cause, cause);
  }

  static GoBinaryException notElf(String source, String detail) {
    return of(Reason.NOT_ELF, Reason.NOT_ELF.prefix, source, detail);
  }

  static GoBinaryException notGo(String source, String detail) {
    return of(Reason.NOT_GO_BINARY, Reason.NOT_GO_BINARY.prefix, source, detail);
  }

  static GoBinaryException unsupported(String source, String detail) {
    return of(Reason.UNSUPPORTED, Reason.UNSUPPORTED.prefix, source, detail);
  }

  /** {@code what} names the structure, e.g. "ELF" or "Go pclntab". */
  static GoBinaryException corrupt(String what, String source, String detail) {
    return of(Reason.CORRUPT, Reason.CORRUPT.prefix + " " + what, source, detail);
  }

  private static GoBinaryException of(Reason reason, String prefix, String source, String detail) {
    return new GoBinaryException(reason, prefix + ": " + source + ": " + detail, null);
  }
}
