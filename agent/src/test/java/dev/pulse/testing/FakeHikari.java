package dev.pulse.testing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a HikariCP pool and its config with the methods the agent reads and writes by
 * reflection, for unit tests of the pool features without a database. Counts the reads of the
 * pool's figures, so a test can tell one snapshot from several reads.
 */
public final class FakeHikari {
  private FakeHikari() {
  }

  /** The config (HikariDataSource's own role): name, sizes, closed. */
  public static final class Config {
    private final String name;
    public volatile int maximum;
    public volatile int minimumIdle;
    public volatile boolean closed;
    public final AtomicInteger resizes = new AtomicInteger();

    public Config(String name, int maximum, int minimumIdle) {
      this.name = name;
      this.maximum = maximum;
      this.minimumIdle = minimumIdle;
    }

    public String getPoolName() {
      return name;
    }

    public int getMaximumPoolSize() {
      return maximum;
    }

    public void setMaximumPoolSize(int size) {
      resizes.incrementAndGet();
      maximum = size;
    }

    public int getMinimumIdle() {
      return minimumIdle;
    }

    public void setMinimumIdle(int size) {
      minimumIdle = size;
    }

    public boolean isClosed() {
      return closed;
    }
  }

  /** The pool: its connections now. */
  public static final class Pool {
    public volatile int active;
    public volatile int idle;
    public volatile int waiting;
    public final AtomicInteger reads = new AtomicInteger();

    public int getActiveConnections() {
      reads.incrementAndGet();
      return active;
    }

    public int getIdleConnections() {
      reads.incrementAndGet();
      return idle;
    }

    public int getTotalConnections() {
      reads.incrementAndGet();
      return active + idle;
    }

    public int getThreadsAwaitingConnection() {
      reads.incrementAndGet();
      return waiting;
    }
  }
}
