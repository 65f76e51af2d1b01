package dev.pulse.agent.vector;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Random;

/**
 * What an exact re-check costs the database, against the search it checks: the same k=10 query on
 * N clustered 16-d vectors with an HNSW index, timed as the application runs it and as the recall
 * sampler re-runs it exactly (index scans off). Usage: RecheckCostHarness [rows] (default 20000).
 */
public final class RecheckCostHarness {
  private RecheckCostHarness() {
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    try (Connection connection = DriverManager.getConnection(System.getenv("PULSE_TEST_JDBC_URL"));
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
      statement.execute("DROP TABLE IF EXISTS pulse_bench_recheck");
      statement.execute("CREATE TABLE pulse_bench_recheck (id bigserial, embedding vector(16))");
      statement.execute("SELECT setseed(0.5)");
      statement.execute("INSERT INTO pulse_bench_recheck (embedding) SELECT (SELECT array_agg("
          + "(i % 50) * 0.1 + random() * 0.05 + d * 0) FROM generate_series(1, 16) d)::vector"
          + " FROM generate_series(1, " + rows + ") i");
      statement.execute("CREATE INDEX ON pulse_bench_recheck USING hnsw (embedding vector_l2_ops)");
      statement.execute("ANALYZE pulse_bench_recheck");
      connection.setAutoCommit(false);
      Random random = new Random(7);
      int queries = 100;
      double[] approximate = new double[queries];
      double[] exact = new double[queries];
      for (int q = 0; q < queries; q++) {
        String sql = "SELECT md5(r::text) FROM (SELECT id FROM pulse_bench_recheck ORDER BY embedding <-> '"
            + vector(random) + "' LIMIT 10) r";
        approximate[q] = timed(statement, sql, "SET LOCAL hnsw.ef_search = 40");
        exact[q] = timed(statement, sql, "SET LOCAL enable_indexscan = off");
        connection.rollback();
      }
      java.util.Arrays.sort(approximate);
      java.util.Arrays.sort(exact);
      System.out.printf(Locale.ROOT, "rows %d: search p50 %.2f ms, exact re-check p50 %.2f ms"
          + " (p90 %.2f ms); at the default budget of 2 re-checks/s the database spends at most"
          + " %.1f ms per second on them%n", rows, approximate[queries / 2], exact[queries / 2],
          exact[queries * 9 / 10], 2 * 2 * exact[queries / 2]);
    }
  }

  /** Both runs of a sample: as run plus exactly, so twice the exact cost bounds a sample. */
  private static double timed(Statement statement, String sql, String setting) throws Exception {
    statement.execute(setting);
    long start = System.nanoTime();
    try (ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        result.getString(1);
      }
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static String vector(Random random) {
    StringBuilder vector = new StringBuilder("[");
    int cluster = random.nextInt(50);
    for (int d = 0; d < 16; d++) {
      vector.append(d == 0 ? "" : ",").append(cluster * 0.1 + random.nextDouble() * 0.05);
    }
    return vector.append(']').toString();
  }
}
