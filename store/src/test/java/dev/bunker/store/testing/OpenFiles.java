package dev.bunker.store.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/** Files this process holds open, by the targets of its descriptors (Linux). */
public final class OpenFiles {
  private OpenFiles() {}

  /**
   * The open files whose path contains {@code part}: local copies are unlinked when opened, so
   * only their descriptors find them (their targets end in "(deleted)").
   */
  public static Set<String> containing(String part) throws IOException {
    try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
      return descriptors.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException gone) {
          return "";
        }
      }).filter(target -> target.contains(part)).collect(Collectors.toSet());
    }
  }
}
