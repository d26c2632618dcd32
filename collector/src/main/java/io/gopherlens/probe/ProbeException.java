package io.gopherlens.probe;

/** A native probe operation failed; carries libbpf's explanation and the errno. */
public final class ProbeException extends RuntimeException {
  private final int errno;

  public ProbeException(String message, int errno) {
    super(message);
    this.errno = errno;
  }

  /** The positive errno the kernel or libbpf reported (EPERM = 1, ENOENT = 2, ...). */
  public int errno() {
    return errno;
  }
}
