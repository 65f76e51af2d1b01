package dev.pulse.agent.system;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Process CPU use over the interval since the previous reading, as a percent of all cores, from the
 * process's CPU time (exact over the interval, unlike the platform's own smoothed "recent load").
 */
final class ProcessCpu {
  private final com.sun.management.OperatingSystemMXBean os;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private long lastCpuNanos;
  private long lastWallNanos;

  ProcessCpu() {
    OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    this.os = bean instanceof com.sun.management.OperatingSystemMXBean
        ? (com.sun.management.OperatingSystemMXBean) bean : null;
    this.lastWallNanos = System.nanoTime();
    this.lastCpuNanos = cpuNanos();
  }

  /** Percent of all cores used since the last call, or null where the JVM does not tell. */
  Double sinceLastCall() {
    long cpu = cpuNanos();
    long wall = System.nanoTime();
    if (cpu < 0) {
      return null;
    }
    long wallDelta = wall - lastWallNanos;
    double percent = wallDelta <= 0 ? 0 : 100.0 * (cpu - lastCpuNanos) / ((double) wallDelta * cores);
    lastCpuNanos = cpu;
    lastWallNanos = wall;
    return Math.max(0, Math.min(100, percent));
  }

  private long cpuNanos() {
    return os == null ? -1 : os.getProcessCpuTime();
  }
}
