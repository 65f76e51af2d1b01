package dev.pulse.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link QueryInsightsBenchmark#statementExecuted()} with nothing listening and with the query
 * table, in one JVM, the two alternating round by round, measured in the calling thread's own CPU
 * time (which holds on a machine busy with other work, where JMH's wall time does not). The
 * difference of each pair of rounds is what the query table adds to a statement on the
 * application's thread.
 * Usage: QueryTableCpu [CALLS_PER_ROUND] [ROUNDS]
 */
public final class QueryTableCpu {
  private QueryTableCpu() {
  }

  public static void main(String[] args) {
    int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 21;
    QueryInsightsBenchmark none = hooks("none");
    QueryInsightsBenchmark queries = hooks("queries");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 5; i++) { // warm-up: both paths compiled
      run(none, perRound);
      run(queries, perRound);
    }
    double[] without = new double[rounds];
    double[] with = new double[rounds];
    double[] added = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long start = threads.getCurrentThreadCpuTime();
      run(none, perRound);
      long middle = threads.getCurrentThreadCpuTime();
      run(queries, perRound);
      long end = threads.getCurrentThreadCpuTime();
      without[round] = (middle - start) / (double) perRound;
      with[round] = (end - middle) / (double) perRound;
      added[round] = with[round] - without[round];
    }
    none.stop();
    queries.stop();
    System.out.println("statement exit, thread CPU ns/statement, median (min..max) of " + rounds
        + " rounds of " + perRound + ": nothing listening " + summary(without) + "; query table "
        + summary(with) + "; added " + summary(added));
  }

  private static QueryInsightsBenchmark hooks(String listening) {
    QueryInsightsBenchmark hooks = new QueryInsightsBenchmark();
    hooks.listening = listening;
    hooks.start();
    return hooks;
  }

  private static void run(QueryInsightsBenchmark hooks, int calls) {
    for (int i = 0; i < calls; i++) {
      hooks.statementExecuted();
    }
  }

  private static String summary(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format("%.1f (%.1f..%.1f)", sorted[sorted.length / 2], sorted[0],
        sorted[sorted.length - 1]);
  }
}
