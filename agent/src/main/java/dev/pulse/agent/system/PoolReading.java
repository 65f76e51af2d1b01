package dev.pulse.agent.system;

/** One pool's load and borrowing record at a moment, as the alerts see it. */
public final class PoolReading {
  private final String name;
  private final int active;
  private final int maximum;
  private final int waiting;
  private final int open;
  private final long borrowed;
  private final long connectionFailureNanos;
  private final String connectionFailure;

  /**
   * {@code borrowed}: successful getConnection calls since start; {@code connectionFailureNanos}
   * and {@code connectionFailure}: when and why the latest borrow failed to reach the database (0
   * and null when none did).
   */
  public PoolReading(String name, int active, int maximum, int waiting, int open, long borrowed,
      long connectionFailureNanos, String connectionFailure) {
    this.name = name;
    this.active = active;
    this.maximum = maximum;
    this.waiting = waiting;
    this.open = open;
    this.borrowed = borrowed;
    this.connectionFailureNanos = connectionFailureNanos;
    this.connectionFailure = connectionFailure;
  }

  String name() {
    return name;
  }

  int active() {
    return active;
  }

  int maximum() {
    return maximum;
  }

  int waiting() {
    return waiting;
  }

  /** Active over maximum, percent. */
  double utilization() {
    return maximum <= 0 ? 0 : 100.0 * active / maximum;
  }

  /** No connection open while threads wait: the pool cannot reach its database. */
  boolean starved() {
    return open == 0 && waiting > 0;
  }

  long borrowed() {
    return borrowed;
  }

  long connectionFailureNanos() {
    return connectionFailureNanos;
  }

  String connectionFailure() {
    return connectionFailure;
  }
}
