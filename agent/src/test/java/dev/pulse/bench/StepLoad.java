package dev.pulse.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool under a step load against PostgreSQL: 5 s quiet (1 user), 20 s step (20 users back to
 * back), 15 s quiet. Each statement holds its connection 20 ms (pg_sleep). Measures every
 * connection wait itself, connection-seconds (open connections integrated over time), and the
 * ramp: how long after the step began the pool first held as many connections open as it ever
 * did during the step (to the 100 ms of its sampling). Usage: StepLoad JDBC_URL MAXIMUM_POOL_SIZE
 * LABEL [MINIMUM_IDLE] (minimum idle defaults to the maximum: a pool filled from the start);
 * STEP_TRACE=1 prints the pool's figures every 100 ms on stderr. On stderr too: how many of the
 * step's waits were longer than a few marks, and when in the step those over 0.03 ms began (per
 * half second): the p99 is the hundredth-longest of every hundred. Knows nothing of any agent.
 */
public final class StepLoad {
  private StepLoad() {
  }

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setPoolName("step-pool");
    config.setMaximumPoolSize(Integer.parseInt(args[1]));
    config.setMinimumIdle(Integer.parseInt(args.length > 3 ? args[3] : args[1]));
    config.setConnectionTimeout(10_000);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      AtomicLong statements = new AtomicLong();
      AtomicBoolean inStep = new AtomicBoolean();
      AtomicBoolean sampling = new AtomicBoolean(true);
      double[] connectionSeconds = {0};
      int[] peak = {0};
      long[] stepStart = {0};
      int[] stepMostOpen = {0};
      long[] rampNanos = {0};
      boolean trace = System.getenv("STEP_TRACE") != null;
      long startNanos = System.nanoTime();
      Thread sampler = new Thread(() -> {
        while (sampling.get()) {
          int total = dataSource.getHikariPoolMXBean().getTotalConnections();
          if (trace) {
            System.err.printf(Locale.ROOT,
                "t=%6d ms max=%2d minIdle=%2d total=%2d active=%2d waiting=%2d%n",
                (System.nanoTime() - startNanos) / 1_000_000,
                dataSource.getHikariConfigMXBean().getMaximumPoolSize(),
                dataSource.getHikariConfigMXBean().getMinimumIdle(), total,
                dataSource.getHikariPoolMXBean().getActiveConnections(),
                dataSource.getHikariPoolMXBean().getThreadsAwaitingConnection());
          }
          connectionSeconds[0] += total * 0.1;
          if (inStep.get() && total > stepMostOpen[0]) {
            stepMostOpen[0] = total;
            rampNanos[0] = System.nanoTime() - stepStart[0];
          }
          peak[0] = Math.max(peak[0], dataSource.getHikariConfigMXBean().getMaximumPoolSize());
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.start();
      Waits waits = new Waits();
      phase(dataSource, 1, 5_000, 50, statements, waits, inStep);
      stepStart[0] = System.nanoTime();
      waits.stepStart = stepStart[0];
      inStep.set(true);
      phase(dataSource, 20, 20_000, 0, statements, waits, inStep);
      inStep.set(false);
      phase(dataSource, 1, 15_000, 50, statements, waits, inStep);
      sampling.set(false);
      sampler.join();
      long[] sorted = waits.all.stream().mapToLong(Long::longValue).sorted().toArray();
      waits.describe(args[2], sorted);
      System.out.printf(Locale.ROOT, "%-22s %9.3f %9.3f %9.1f %11d %18.1f %8d %10d%n", args[2],
          percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0),
          statements.get(), connectionSeconds[0], rampNanos[0] / 1_000_000, peak[0]);
    }
  }

  private static void phase(HikariDataSource dataSource, int users, long millis, long pauseMillis,
      AtomicLong statements, Waits waits, AtomicBoolean inStep)
      throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      Thread thread = new Thread(() -> {
        while (System.currentTimeMillis() < end) {
          long start = System.nanoTime();
          try (Connection connection = dataSource.getConnection()) {
            if (inStep.get()) {
              waits.add(start, System.nanoTime() - start);
            }
            try (Statement statement = connection.createStatement()) {
              statement.execute("SELECT pg_sleep(0.02)");
              statements.incrementAndGet();
            }
          } catch (SQLException e) {
            // counted by the missing statements
          }
          if (pauseMillis > 0) {
            try {
              Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** The step's waits, and when those over {@link #SLOW_NANOS} began. */
  private static final class Waits {
    static final long SLOW_NANOS = 30_000;
    static final long HALF_SECOND = 500_000_000L;
    static final double[] MARKS_MILLIS = {0.03, 0.1, 1, 10};

    final ConcurrentLinkedQueue<Long> all = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> slowStarts = new ConcurrentLinkedQueue<>();
    volatile long stepStart;

    void add(long startNanos, long waitNanos) {
      all.add(waitNanos);
      if (waitNanos > SLOW_NANOS) {
        slowStarts.add(startNanos - stepStart);
      }
    }

    void describe(String label, long[] sorted) {
      StringBuilder line = new StringBuilder(label).append(": ").append(sorted.length)
          .append(" waits in the step; over");
      for (double mark : MARKS_MILLIS) {
        long over = Arrays.stream(sorted).filter(wait -> wait > mark * 1e6).count();
        line.append(String.format(Locale.ROOT, " %s ms: %d,", mark, over));
      }
      int[] halves = new int[40];
      for (long since : slowStarts) {
        halves[(int) Math.max(0, Math.min(halves.length - 1, since / HALF_SECOND))]++;
      }
      line.append(" those over 0.03 ms per half second of the step: ")
          .append(Arrays.toString(halves));
      System.err.println(line);
    }
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
