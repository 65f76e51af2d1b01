package demo.memory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.CountDownLatch;

/**
 * A small memory store over HikariCP and PostgreSQL with pgvector, under phases of load. An
 * ordinary application: it knows nothing of any telemetry agent attached to it.
 */
public final class DemoMain {
  private DemoMain() {
  }

  public static void main(String[] args) throws Exception {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(DemoOptions.USAGE);
      return;
    }
    DatabaseChooser.Choice database;
    try {
      database = DatabaseChooser.choose(options);
    } catch (IllegalStateException e) {
      System.err.println("demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    Log.info("database: " + redact(database.url()) + " (" + database.why() + ")");

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.url());
    config.setPoolName("demo-memory-pool");
    config.setMaximumPoolSize(5);
    config.setMinimumIdle(2);
    config.setConnectionTimeout(2000);
    config.setIdleTimeout(10_000);
    HikariDataSource dataSource = new HikariDataSource(config);
    MemoryStore store = new MemoryStore(dataSource, database.vectors());
    store.prepare();
    LoadGenerator load = new LoadGenerator(dataSource, store, new FailureInjector(dataSource, store));

    CountDownLatch stopped = new CountDownLatch(1);
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      load.stop();
      main.interrupt();
      try {
        stopped.await(java.util.concurrent.TimeUnit.SECONDS.toMillis(2),
            java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    if (options.durationSeconds() > 0) {
      Thread timer = new Thread(() -> {
        try {
          Thread.sleep(options.durationSeconds() * 1000);
          load.stop();
        } catch (InterruptedException e) {
          // stopped earlier
        }
      }, "demo-duration");
      timer.setDaemon(true);
      timer.start();
    }
    Log.info("running: quiet and burst phases repeat" + (options.durationSeconds() > 0
        ? " for " + options.durationSeconds() + " s" : " until Ctrl-C"));
    Log.info("if a telemetry agent is attached, watch it with: python3 -m websockets ws://127.0.0.1:8025/");
    try {
      load.run();
    } catch (InterruptedException e) {
      // Ctrl-C
    } finally {
      dataSource.close();
      Log.info("stopped");
      stopped.countDown();
    }
  }

  private static String redact(String url) {
    return url.replaceAll("password=[^&]*", "password=***");
  }
}
