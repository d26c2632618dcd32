package io.gopherlens.goruntime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads another process's memory through /proc/PID/mem (pread at the virtual address: the
 * same access check as ptrace, so root or CAP_SYS_PTRACE). Used only on rare events and at
 * the sampling interval, never per operation.
 */
public final class ProcessMemory implements AutoCloseable {
  private final int pid;
  private final FileChannel mem;

  private ProcessMemory(int pid, FileChannel mem) {
    this.pid = pid;
    this.mem = mem;
  }

  public static ProcessMemory open(int pid) throws IOException {
    return new ProcessMemory(pid, FileChannel.open(Path.of("/proc", Integer.toString(pid), "mem"), StandardOpenOption.READ));
  }

  /** Fills {@code out} from {@code address}; fails if the range is not mapped. */
  public ByteBuffer read(long address, ByteBuffer out) throws IOException {
    out.clear().order(ByteOrder.LITTLE_ENDIAN);
    long pos = address;
    while (out.hasRemaining()) {
      int n = mem.read(out, pos);
      if (n <= 0) {
        throw new IOException("pid " + pid + ": address 0x" + Long.toHexString(pos) + " is not readable");
      }
      pos += n;
    }
    return out.flip();
  }

  @Override
  public void close() throws IOException {
    mem.close();
  }
}
