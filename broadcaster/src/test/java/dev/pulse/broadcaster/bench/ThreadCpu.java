package dev.pulse.broadcaster.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The CPU each of this JVM's threads used between two snapshots, printed per event. */
final class ThreadCpu {
  private ThreadCpu() {
  }

  /** CPU time so far of each live thread, by name (digits dropped: one pool, one line). */
  static Map<String, Long> snapshot() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byName = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu > 0) {
          byName.merge(info.getThreadName().replaceAll("[0-9]+", ""), cpu, Long::sum);
        }
      }
    }
    return byName;
  }

  /**
   * One line per thread that used more than 0.1 % of a core over {@code wallNanos}: its share of a
   * core and its CPU per event.
   */
  static void print(Map<String, Long> before, Map<String, Long> after, long wallNanos,
      long events) {
    after.forEach((name, cpu) -> {
      long used = cpu - before.getOrDefault(name, 0L);
      if (used > wallNanos / 1000) {
        System.out.printf(Locale.ROOT, "cpu %-28s %6.1f %% of a core, %8.2f us per event%n",
            name, 100.0 * used / wallNanos, used / 1e3 / events);
      }
    });
  }
}
