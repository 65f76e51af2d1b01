package dev.pulse.agent.hikari;

/**
 * A pool's figures read together, once per sample (as HikariCP's own PoolStats does), so the
 * figures of one event come from one reading: utilization from the same active and maximum,
 * overflow from the same total.
 */
public final class PoolState {
  public final int maximum;
  public final int minimumIdle;
  public final int active;
  public final int idle;
  public final int total;
  public final int waiting;

  public PoolState(int maximum, int minimumIdle, int active, int idle, int total, int waiting) {
    this.maximum = maximum;
    this.minimumIdle = minimumIdle;
    this.active = active;
    this.idle = idle;
    this.total = total;
    this.waiting = waiting;
  }

  /** Active over maximum, percent. */
  public double utilization() {
    return maximum == 0 ? 0 : 100.0 * active / maximum;
  }
}
