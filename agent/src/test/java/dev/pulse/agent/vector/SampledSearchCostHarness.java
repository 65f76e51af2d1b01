package dev.pulse.agent.vector;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Hooks;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a vector search costs the application's thread in the hooks alone, with its event sent, and
 * sampled out (above vector.events.rate): the thread's own CPU time and allocated bytes per search
 * (figures that hold on a busy machine), over a real pgjdbc statement and result (k bound), the
 * three run in alternation, medians of the rounds. Usage: SampledSearchCostHarness [rounds].
 */
public final class SampledSearchCostHarness {
  private static final String SQL =
      "SELECT id FROM pulse_bench_sampled ORDER BY embedding <-> ?::vector LIMIT ?";
  private static final int PER_ROUND = 200_000;

  private SampledSearchCostHarness() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (Connection connection = DriverManager.getConnection(System.getenv("PULSE_TEST_JDBC_URL"))) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
        statement.execute("DROP TABLE IF EXISTS pulse_bench_sampled");
        statement.execute("CREATE TABLE pulse_bench_sampled (id bigserial, embedding vector(3))");
        statement.execute("INSERT INTO pulse_bench_sampled (embedding)"
            + " SELECT ARRAY[i, i % 7, i % 11]::vector FROM generate_series(1, 100) i");
      }
      PreparedStatement search = connection.prepareStatement(SQL);
      search.setString(1, "[1,2,3]");
      search.setInt(2, 10);
      ResultSet result = search.executeQuery();
      String[] names = {"hooks, no listener", "search, event sent", "search, sampled out",
          "sampled out, advisor on"};
      int kinds = names.length;
      Hooks[] hooks = {new Hooks(), new Hooks(), new Hooks(), new Hooks()};
      CallContext[] contexts = {new CallContext(), new CallContext(), new CallContext(),
          new CallContext()};
      // 0: every search has its event; 1: one a second, so nearly all are sampled out
      hooks[1].add(new VectorSearchRecorder(event -> { }, 0, 1, pool -> null, source -> "bench",
          null, null, false, 0, () -> { }));
      hooks[2].add(new VectorSearchRecorder(event -> { }, 0, 1, pool -> null, source -> "bench",
          null, null, false, 1, () -> { }));
      // the advisor counts short results per pool: the connection is borrowed from a "pool" here;
      // it samples (almost) nothing, as at its default rate nearly every search is left alone
      hooks[3].add(new VectorSearchRecorder(event -> { }, 0, 1, pool -> null, source -> "bench",
          new AdvisorLimits(1e-9, 1, 10_000, 0.1, 30, 0.95, 60_000), pool -> null, false, 1,
          () -> { }));
      Object dataSource = new Object();
      hooks[3].acquireExit(contexts[3], hooks[3].acquireEnter(contexts[3]), dataSource, connection,
          null, false);
      for (int i = 0; i < kinds; i++) {
        hooks[i].prepareEnter(contexts[i]);
        hooks[i].prepareExit(contexts[i], connection, search, SQL);
      }
      long[][] cpu = new long[kinds][rounds];
      long[][] bytes = new long[kinds][rounds];
      long thread = Thread.currentThread().getId();
      for (int round = -2; round < rounds; round++) { // two rounds of warm-up
        for (int i = 0; i < kinds; i++) {
          long cpu0 = threads.getCurrentThreadCpuTime();
          long bytes0 = threads.getThreadAllocatedBytes(thread);
          for (int n = 0; n < PER_ROUND; n++) {
            hooks[i].statementExit(contexts[i], hooks[i].statementEnter(contexts[i]), search, null,
                result, null);
          }
          if (round >= 0) {
            cpu[i][round] = threads.getCurrentThreadCpuTime() - cpu0;
            bytes[i][round] = threads.getThreadAllocatedBytes(thread) - bytes0;
          }
        }
      }
      for (int i = 0; i < kinds; i++) {
        System.out.printf(Locale.ROOT, "%-24s %6.0f ns CPU, %6.0f B per search (median of %d rounds;"
            + " CPU range %.0f-%.0f ns)%n", names[i], median(cpu[i]) / PER_ROUND,
            median(bytes[i]) / PER_ROUND, rounds, min(cpu[i]) / PER_ROUND, max(cpu[i]) / PER_ROUND);
      }
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double min(long[] values) {
    return Arrays.stream(values).min().orElse(0);
  }

  private static double max(long[] values) {
    return Arrays.stream(values).max().orElse(0);
  }
}
