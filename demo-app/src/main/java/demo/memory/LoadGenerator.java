package demo.memory;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Traffic in phases, repeated until stopped: a quiet spell (2 users), a burst (24 users and a
 * few slow reports that hold connections long enough for others to time out), quiet again. Users
 * remember notes and search them in the three library shapes, with varied k and ef_search.
 */
final class LoadGenerator {
  static final long QUIET_MILLIS = 8_000;
  static final long BURST_MILLIS = 20_000;
  private static final int QUIET_USERS = 2;
  private static final int BURST_USERS = 24;
  private static final int REPORTS = 4;

  private final HikariDataSource dataSource;
  private final MemoryStore store;
  private final FailureInjector failures;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  LoadGenerator(HikariDataSource dataSource, MemoryStore store, FailureInjector failures) {
    this.dataSource = dataSource;
    this.store = store;
    this.failures = failures;
  }

  void run() throws InterruptedException {
    int cycle = 0;
    while (running.get()) {
      cycle++;
      phase("quiet (" + QUIET_USERS + " users)", QUIET_USERS, 0, QUIET_MILLIS, 200);
      if (!running.get()) {
        break;
      }
      failures.once();
      resizeLikeAnOperator(cycle);
      phase("burst (" + BURST_USERS + " users, " + REPORTS + " slow reports)", BURST_USERS, REPORTS,
          BURST_MILLIS, 0);
      if (running.get()) {
        phase("quiet (" + QUIET_USERS + " users)", QUIET_USERS, 0, QUIET_MILLIS * 2, 200);
      }
    }
  }

  void stop() {
    running.set(false);
    synchronized (threads) {
      threads.forEach(Thread::interrupt);
    }
  }

  /** The application changes its own pool size through HikariCP's MXBean, every other cycle back. */
  private void resizeLikeAnOperator(int cycle) {
    int size = cycle % 2 == 1 ? 6 : 5;
    dataSource.getHikariConfigMXBean().setMaximumPoolSize(size);
    Log.info("the application set its pool's maximum size to " + size);
  }

  private void phase(String name, int users, int reports, long millis, long pauseMillis)
      throws InterruptedException {
    Log.info("phase: " + name);
    long end = System.currentTimeMillis() + millis;
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      started.add(start("user-" + i, () -> user(end, pauseMillis)));
    }
    for (int i = 0; i < reports; i++) {
      started.add(start("report-" + i, () -> report()));
    }
    for (Thread thread : started) {
      thread.join();
    }
    synchronized (threads) {
      threads.removeAll(started);
    }
  }

  private Thread start(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    synchronized (threads) {
      threads.add(thread);
    }
    thread.start();
    return thread;
  }

  private void user(long end, long pauseMillis) {
    Random random = new Random(Thread.currentThread().getName().hashCode() ^ System.nanoTime());
    int timeouts = 0;
    while (running.get() && System.currentTimeMillis() < end) {
      try (Connection connection = dataSource.getConnection()) {
        work(connection, random);
      } catch (SQLException e) {
        if (e.getMessage() != null && e.getMessage().contains("request timed out") && timeouts++ == 0) {
          Log.info("a user waited too long for a connection: " + e.getMessage());
        }
      }
      if (pauseMillis > 0) {
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void work(Connection connection, Random random) throws SQLException {
    int k = 3 + random.nextInt(18);
    float[] query = Embeddings.of(random);
    switch (random.nextInt(4)) {
      case 0 -> store.searchPlain(connection, query, k);
      case 1 -> store.searchInlined(connection, query, k);
      case 2 -> store.searchAliased(connection, query, k);
      default -> tunedSearch(connection, query, k, random);
    }
    if (random.nextInt(5) == 0) {
      store.remember(connection, "session-" + random.nextInt(50), "a new note", random);
    }
    if (store.hasVectors()) {
      try (Statement think = connection.createStatement()) {
        think.execute("SELECT pg_sleep(0.03)"); // the application thinks while holding the connection
      }
    }
  }

  /** A search with its own ef_search for one transaction, as a tuned query would do. */
  private void tunedSearch(Connection connection, float[] query, int k, Random random)
      throws SQLException {
    if (!store.hasVectors()) {
      store.searchPlain(connection, query, k);
      return;
    }
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET LOCAL hnsw.ef_search = " + (20 + random.nextInt(181)));
      store.searchPlain(connection, query, k);
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /** A slow report: holds its connection for 2.5 s, longer than the pool's 2 s connection timeout. */
  private void report() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(store.hasVectors() ? "SELECT pg_sleep(2.5)" : "SELECT 1");
      if (!store.hasVectors()) {
        Thread.sleep(2500);
      }
    } catch (SQLException | InterruptedException e) {
      // a report that could not run is retried next burst
    }
  }
}
