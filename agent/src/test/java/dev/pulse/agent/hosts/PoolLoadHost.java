package dev.pulse.agent.hosts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ordinary HikariCP application, driven line by line on stdin so a test can shape its load and
 * know exactly how many statements it ran. Knows nothing of the agent.
 *
 * <pre>
 * arguments: JDBC_URL POOL_NAME MAXIMUM_POOL_SIZE [CONNECTION_TIMEOUT_MS [INITIALIZATION_FAIL_TIMEOUT_MS]]
 * load THREADS MILLIS SLEEP_MS   threads borrow, run "select pg_sleep", return, for MILLIS
 * mixed                          one of each statement kind: plain, prepared, batch, update
 * resize N                       the application sets its own maximum pool size
 * wrapper N                      the same through the application's wrapper in com.zaxxer.hikari.pulsetest
 * jmx N                          an operator sets it through the platform MBean server
 * count                          prints "statements N" (every statement the host executed)
 * errors                         prints the failed borrows and statements of load, and their classes
 * attempts N                     N borrows, one after the other, each printing "attempt ok|failed MS"
 * fail MILLIS                    one thread runs a failing statement (division by zero) for MILLIS
 * missing NAME                   selects from a table of that name, which does not exist (once)
 * retain MB                      holds MB of heap; release lets it go and collects
 * quit
 * </pre>
 */
public final class PoolLoadHost {
  private static final AtomicLong STATEMENTS = new AtomicLong();
  private static final List<byte[]> RETAINED = new ArrayList<>();
  private static final AtomicLong FAILED_BORROWS = new AtomicLong();
  private static final AtomicLong FAILED_STATEMENTS = new AtomicLong();
  private static final java.util.Set<String> ERROR_CLASSES =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private PoolLoadHost() {
  }

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setPoolName(args[1]);
    config.setMaximumPoolSize(Integer.parseInt(args[2]));
    config.setMinimumIdle(Math.min(2, Integer.parseInt(args[2])));
    config.setConnectionTimeout(Long.parseLong(args.length > 3 ? args[3] : "3000"));
    // -1 lets the pool start while the database is down, as an outage test needs
    config.setInitializationFailTimeout(Long.parseLong(args.length > 4 ? args[4] : "1"));
    config.setRegisterMbeans(true); // so an operator can resize it over JMX
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      System.out.println("host ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split("\\s+");
        switch (words[0]) {
          case "load":
            load(dataSource, Integer.parseInt(words[1]), Long.parseLong(words[2]), Integer.parseInt(words[3]));
            System.out.println("load done");
            break;
          case "mixed":
            mixed(dataSource);
            System.out.println("mixed done");
            break;
          case "resize":
            dataSource.getHikariConfigMXBean().setMaximumPoolSize(Integer.parseInt(words[1]));
            System.out.println("resized");
            break;
          case "wrapper":
            new com.zaxxer.hikari.pulsetest.PoolWrapper(dataSource).resize(Integer.parseInt(words[1]));
            System.out.println("resized");
            break;
          case "attempts":
            for (int i = 0; i < Integer.parseInt(words[1]); i++) {
              long start = System.nanoTime();
              String outcome = "ok";
              try (Connection connection = dataSource.getConnection();
                  Statement statement = connection.createStatement()) {
                statement.execute("select 1");
              } catch (SQLException e) {
                outcome = "failed";
              }
              System.out.println("attempt " + outcome + " " + (System.nanoTime() - start) / 1_000_000);
            }
            break;
          case "jmx":
            java.lang.management.ManagementFactory.getPlatformMBeanServer().setAttribute(
                new javax.management.ObjectName("com.zaxxer.hikari:type=PoolConfig (" + args[1] + ")"),
                new javax.management.Attribute("MaximumPoolSize", Integer.parseInt(words[1])));
            System.out.println("resized over jmx");
            break;
          case "fail":
            fail(dataSource, Long.parseLong(words[1]));
            System.out.println("fail done");
            break;
          case "missing":
            try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
              statement.executeQuery("select * from \"" + line.trim().substring(8).trim() + "\"");
            } catch (java.sql.SQLException expected) {
              System.out.println("missing done");
            }
            break;
          case "retain":
            for (int i = 0; i < Integer.parseInt(words[1]) * 4; i++) {
              RETAINED.add(new byte[256 * 1024]);
            }
            System.out.println("retained");
            break;
          case "release":
            RETAINED.clear();
            System.gc();
            System.out.println("released");
            break;
          case "count":
            System.out.println("statements " + STATEMENTS.get());
            break;
          case "errors":
            System.out.println("errors borrow " + FAILED_BORROWS.get() + " statement "
                + FAILED_STATEMENTS.get() + " classes " + new java.util.TreeSet<>(ERROR_CLASSES));
            break;
          case "quit":
            return;
          default:
            System.out.println("unknown command " + line);
        }
      }
    }
  }

  private static void fail(HikariDataSource dataSource, long millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() < end) {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        STATEMENTS.incrementAndGet();
        statement.execute("select 1 / 0");
      } catch (SQLException e) {
        // the failure is the point
      }
    }
  }

  private static void load(HikariDataSource dataSource, int threads, long millis, int sleepMillis)
      throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000L;
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread worker = new Thread(() -> {
        while (System.nanoTime() < end) {
          boolean borrowed = false;
          try (Connection connection = dataSource.getConnection();
              PreparedStatement statement = connection.prepareStatement("select pg_sleep(?)")) {
            borrowed = true;
            statement.setDouble(1, sleepMillis / 1000.0);
            STATEMENTS.incrementAndGet();
            statement.executeQuery().close();
          } catch (SQLException e) {
            // a pool timeout under load (or an outage) is part of the test: counted, not hidden
            (borrowed ? FAILED_STATEMENTS : FAILED_BORROWS).incrementAndGet();
            ERROR_CLASSES.add(e.getClass().getName());
          }
        }
      });
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
  }

  private static void mixed(HikariDataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      STATEMENTS.incrementAndGet();
      statement.execute("create temporary table if not exists host_t (n int)");
      STATEMENTS.incrementAndGet();
      try (ResultSet rs = statement.executeQuery("select 1")) {
        rs.next();
      }
      STATEMENTS.incrementAndGet();
      statement.executeUpdate("insert into host_t values (1)");
      try (PreparedStatement prepared = connection.prepareStatement("insert into host_t values (?)")) {
        prepared.setInt(1, 2);
        prepared.addBatch();
        prepared.setInt(1, 3);
        prepared.addBatch();
        STATEMENTS.addAndGet(2); // each batched statement is one
        prepared.executeBatch();
        prepared.setInt(1, 4);
        STATEMENTS.incrementAndGet();
        prepared.executeUpdate();
      }
      STATEMENTS.incrementAndGet();
      try {
        statement.execute("select * from no_such_table");
      } catch (SQLException expected) {
        // a failed statement still counts as one
      }
    }
  }
}
