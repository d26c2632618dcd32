package io.gopherlens.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Loads libgopherlens.so once per JVM. The jar carries the library; it is copied into a
 * private (0700) temporary directory because a shared path could be swapped by another user
 * between extraction and dlopen. Tests point {@code gopherlens.native.dir} at the CMake
 * build instead.
 */
final class NativeLibrary {
  private static final String LIBRARY = "libgopherlens.so";
  private static final String RESOURCE = "/native/linux-x86_64/" + LIBRARY;
  private static volatile boolean loaded;

  private NativeLibrary() {}

  static synchronized void load() {
    if (loaded) {
      return;
    }
    String dir = System.getProperty("gopherlens.native.dir");
    if (dir != null && Files.isRegularFile(Path.of(dir, LIBRARY))) {
      System.load(Path.of(dir, LIBRARY).toAbsolutePath().toString());
    } else {
      System.load(extract().toString());
    }
    loaded = true;
  }

  private static Path extract() {
    try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is missing from the jar: build with `mvn package` so CMake builds it");
      }
      Path tmp =
          Files.createTempDirectory(
              "gopherlens-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path lib = tmp.resolve(LIBRARY);
      Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
      lib.toFile().deleteOnExit();
      tmp.toFile().deleteOnExit();
      return lib;
    } catch (IOException e) {
      throw new UncheckedIOException("failed to extract " + LIBRARY + " to a temporary directory", e);
    }
  }
}
