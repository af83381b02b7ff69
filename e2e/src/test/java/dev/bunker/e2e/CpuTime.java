package dev.bunker.e2e;

import dev.bunker.azurite.Azurite;
import dev.bunker.devhost.DevHostProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time the processes of a benchmark figure have used so far: the function host (devhost's
 * worker JVM), Azurite, and this JVM with the processes it started and reaped (the sandbox, the git
 * server's CGit processes, the CGit clients of a baseline). Unlike wall time it does not grow with
 * the machine's load, so a per-repository cost can be read on a busy machine too. Linux only
 * ({@code /proc/self/stat}); elsewhere this JVM's part is its own CPU time without its children.
 */
record CpuTime(Duration host, Duration azurite, Duration local) {
  /** /proc's unit: USER_HZ, 100 on every Linux architecture Java runs on. */
  private static final long TICKS_PER_SECOND = 100;

  static CpuTime of(DevHostProcess devhost, Azurite azurite) {
    Duration host = devhost == null ? Duration.ZERO : cpu(devhost.functionHost());
    Duration storage = azurite.processes().map(CpuTime::cpu).reduce(Duration.ZERO, Duration::plus);
    return new CpuTime(host, storage, ownAndChildren());
  }

  CpuTime since(CpuTime before) {
    return new CpuTime(host.minus(before.host), azurite.minus(before.azurite), local.minus(before.local));
  }

  Duration total() {
    return host.plus(azurite).plus(local);
  }

  private static Duration cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** This JVM's user and system time and that of its children it has waited for. */
  private static Duration ownAndChildren() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // fields after the command name in parentheses, from field 3 (state): utime is field 14
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = 0;
      for (int field = 14; field <= 17; field++) { // utime, stime, cutime, cstime
        ticks += Long.parseLong(fields[field - 3]);
      }
      return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return cpu(ProcessHandle.current());
    }
  }
}
