package dev.pulse.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;

/**
 * The first statements of a fresh JVM, one thread: what each borrow and each statement (prepare,
 * execute, read, close) takes, the first round alone and then as means over blocks of rounds, while
 * the code of the pool, the driver and any agent still runs interpreted or is being compiled. The
 * pool is full before the first round. Usage: FirstStatements [JDBC_URL [ROUNDS [BLOCK]]]
 * (defaults: an H2 database in memory, 6,000 rounds, blocks of 500). Prints one line:
 * {@code first BORROW_US STATEMENT_US blocks B1/S1 B2/S2 ...} (microseconds, means per block).
 * Knows nothing of any agent.
 */
public final class FirstStatements {
  private FirstStatements() {
  }

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:h2:mem:first";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6_000;
    int block = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(4);
    long[] borrows = new long[rounds];
    long[] statements = new long[rounds];
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (dataSource.getHikariPoolMXBean().getIdleConnections() < 4
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      for (int i = 0; i < rounds; i++) {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
          long borrowed = System.nanoTime();
          borrows[i] = borrowed - start;
          try (PreparedStatement statement = connection.prepareStatement("SELECT 1");
              ResultSet result = statement.executeQuery()) {
            result.next();
          }
          statements[i] = System.nanoTime() - borrowed;
        }
      }
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "first %.0f %.0f blocks",
        borrows[0] / 1e3, statements[0] / 1e3));
    for (int from = 0; from + block <= rounds; from += block) {
      line.append(String.format(Locale.ROOT, " %.1f/%.1f", mean(borrows, from, block) / 1e3,
          mean(statements, from, block) / 1e3));
    }
    System.out.println(line);
  }

  private static double mean(long[] values, int from, int count) {
    long sum = 0;
    for (int i = from; i < from + count; i++) {
      sum += values[i];
    }
    return (double) sum / count;
  }
}
