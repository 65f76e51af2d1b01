package dev.pulse.agent.hosts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two HikariCP pools of one connection each, an H2 one (through {@link CountingH2Driver}) and a
 * PostgreSQL one, each counting every borrow and every connection it creates through HikariCP's
 * own metrics tracker. Knows nothing of the agent. Driven on stdin:
 *
 * <pre>
 * arguments: POSTGRESQL_JDBC_URL
 * figures TAG  one line per pool: "figures TAG NAME active= idle= total= waiting= borrows= creates=",
 *              then "h2 connects TAG N" (every connection opened through H2's driver)
 * hold      holds the PostgreSQL pool's one connection, borrows again: "second borrow timed out"
 *           (or "second borrow succeeded"), then releases it
 * use       borrows once from each pool and runs one statement
 * quit
 * </pre>
 */
public final class PoolIsolationHost {
  private PoolIsolationHost() {
  }

  /** HikariCP's own account of the pool: every borrow and every connection it created. */
  static final class Counting implements MetricsTrackerFactory {
    final AtomicInteger borrows = new AtomicInteger();
    final AtomicInteger creates = new AtomicInteger();

    @Override
    public IMetricsTracker create(String poolName, PoolStats poolStats) {
      return new IMetricsTracker() {
        @Override
        public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
          borrows.incrementAndGet();
        }

        @Override
        public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
          creates.incrementAndGet();
        }
      };
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, Counting> counts = new LinkedHashMap<>();
    Map<String, HikariDataSource> pools = new LinkedHashMap<>();
    HikariConfig h2 = config("iso-h2", counts);
    h2.setDriverClassName(CountingH2Driver.class.getName());
    h2.setJdbcUrl("jdbc:h2:mem:isolation;DB_CLOSE_DELAY=-1");
    pools.put("iso-h2", new HikariDataSource(h2));
    HikariConfig pg = config("iso-pg", counts);
    pg.setJdbcUrl(args[0]);
    pools.put("iso-pg", new HikariDataSource(pg));
    System.out.println("host ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      switch (words[0]) {
        case "figures":
          for (Map.Entry<String, HikariDataSource> pool : pools.entrySet()) {
            HikariPoolMXBean bean = pool.getValue().getHikariPoolMXBean();
            Counting count = counts.get(pool.getKey());
            System.out.println("figures " + words[1] + " " + pool.getKey() + " active=" + bean.getActiveConnections()
                + " idle=" + bean.getIdleConnections() + " total=" + bean.getTotalConnections()
                + " waiting=" + bean.getThreadsAwaitingConnection() + " borrows=" + count.borrows.get()
                + " creates=" + count.creates.get());
          }
          System.out.println("h2 connects " + words[1] + " " + CountingH2Driver.CONNECTS.get());
          break;
        case "hold":
          try (Connection held = pools.get("iso-pg").getConnection()) {
            try (Connection second = pools.get("iso-pg").getConnection()) {
              System.out.println("second borrow succeeded");
            } catch (SQLException timedOut) {
              System.out.println("second borrow timed out");
            }
          }
          break;
        case "use":
          for (HikariDataSource pool : pools.values()) {
            try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
              statement.execute("SELECT 1");
            }
          }
          System.out.println("used");
          break;
        case "quit":
          pools.values().forEach(HikariDataSource::close);
          return;
        default:
          System.out.println("unknown command " + line);
      }
    }
  }

  private static HikariConfig config(String name, Map<String, Counting> counts) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setMaximumPoolSize(1);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(250);
    Counting count = new Counting();
    counts.put(name, count);
    config.setMetricsTrackerFactory(count);
    return config;
  }
}
