package dev.pulse.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link FailingStatementBenchmark}'s failing statement, measured in CPU time instead of wall
 * time: what the failing thread itself spends per statement, and what the whole process spends
 * (the failing thread, an agent's threads, GC, JIT). CPU time holds on a machine busy with other
 * work, where wall time measures the scheduler. Knows nothing of any agent: scripts/bench-firewall.sh
 * runs it without one and with Pulse, alternating.
 * Usage: FailingStatementCpu [STATEMENTS_PER_ROUND] [ROUNDS]   (prints one line: medians and ranges)
 */
public final class FailingStatementCpu {
  private FailingStatementCpu() {
  }

  public static void main(String[] args) throws Exception {
    int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean process =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    FailingStatementBenchmark statement = new FailingStatementBenchmark();
    statement.start();
    for (int i = 0; i < 4 * perRound; i++) { // warm-up: compiled, the pool and the agent settled
      statement.failingStatement();
    }
    long[] thread = new long[rounds];
    long[] all = new long[rounds];
    for (int round = 0; round < rounds; round++) {
      long threadStart = threads.getCurrentThreadCpuTime();
      long processStart = process.getProcessCpuTime();
      for (int i = 0; i < perRound; i++) {
        statement.failingStatement();
      }
      thread[round] = (threads.getCurrentThreadCpuTime() - threadStart) / perRound;
      all[round] = (process.getProcessCpuTime() - processStart) / perRound;
    }
    statement.stop();
    System.out.println("failing thread CPU " + summary(thread) + " ns/statement   process CPU "
        + summary(all) + " ns/statement");
  }

  /** Median (min..max). */
  private static String summary(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] + " (" + sorted[0] + ".." + sorted[sorted.length - 1] + ")";
  }
}
