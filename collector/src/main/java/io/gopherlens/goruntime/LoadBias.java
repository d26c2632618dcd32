package io.gopherlens.goruntime;

import io.gopherlens.goproc.ElfFile;
import io.gopherlens.goproc.ElfSegment;
import io.gopherlens.goproc.GoBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How far a process's executable was moved from its link-time addresses: 0 for a fixed-address
 * executable, the start of the mapping of file offset 0 (minus the first segment's page) for PIE,
 * from /proc/PID/maps. Link-time addresses found in the binary plus this are run-time addresses.
 */
final class LoadBias {
  private LoadBias() {}

  static long of(int pid, GoBinary binary) throws IOException {
    if (binary.elf().type() == ElfFile.ET_EXEC) {
      return 0;
    }
    long firstPage = binary.elf().segments().stream().filter(ElfSegment::load).filter(s -> s.offset() == 0)
        .mapToLong(s -> s.vaddr() & ~0xfffL).findFirst()
        .orElseThrow(() -> new IOException(binary.elf().source() + " has no PT_LOAD segment at file offset 0"));
    Path exe = Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe"));
    List<String> maps = Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps"));
    for (String line : maps) {
      // start-end perms offset dev inode path
      String[] f = line.trim().split("\\s+", 6);
      if (f.length == 6 && Long.parseUnsignedLong(f[2], 16) == 0 && Path.of(f[5]).equals(exe)) {
        return Long.parseUnsignedLong(f[0].substring(0, f[0].indexOf('-')), 16) - firstPage;
      }
    }
    throw new IOException("pid " + pid + ": no mapping of " + exe + " at file offset 0 in /proc/" + pid + "/maps");
  }
}
