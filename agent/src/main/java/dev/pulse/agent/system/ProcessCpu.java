package dev.pulse.agent.system;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;

/**
 * Process CPU use over the interval since the previous reading, as a percent of all cores, from the
 * process's CPU time (exact over the interval, unlike the platform's own smoothed "recent load").
 *
 * <p>The platform's bean is looked up at the first reading: its first lookup sets up the JDK's
 * management (and searches the class path for providers), which an agent nobody watches never
 * needs. The starting point is read when this is made, from the process handle, which gives the
 * same CPU time the bean does.
 */
final class ProcessCpu {
  private final int cores = Runtime.getRuntime().availableProcessors();
  private com.sun.management.OperatingSystemMXBean os;
  private boolean looked;
  private long lastCpuNanos;
  private long lastWallNanos;

  ProcessCpu() {
    this.lastWallNanos = System.nanoTime();
    this.lastCpuNanos = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos)
        .orElse(-1L);
  }

  /** Percent of all cores used since the last call, or null where the JVM does not tell. */
  Double sinceLastCall() {
    long cpu = cpuNanos();
    long wall = System.nanoTime();
    if (cpu < 0) {
      return null;
    }
    long wallDelta = wall - lastWallNanos;
    long before = lastCpuNanos;
    lastCpuNanos = cpu;
    lastWallNanos = wall;
    if (before < 0) {
      return null; // no starting point: the next reading has one
    }
    double percent = wallDelta <= 0 ? 0 : 100.0 * (cpu - before) / ((double) wallDelta * cores);
    return Math.max(0, Math.min(100, percent));
  }

  private long cpuNanos() {
    if (!looked) {
      OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
      os = bean instanceof com.sun.management.OperatingSystemMXBean
          ? (com.sun.management.OperatingSystemMXBean) bean : null;
      looked = true;
    }
    return os == null ? -1 : os.getProcessCpuTime();
  }
}
