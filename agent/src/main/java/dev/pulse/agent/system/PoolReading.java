package dev.pulse.agent.system;

/** One pool's load at a moment, as the alerts see it. */
public final class PoolReading {
  private final String name;
  private final int active;
  private final int maximum;
  private final int waiting;

  public PoolReading(String name, int active, int maximum, int waiting) {
    this.name = name;
    this.active = active;
    this.maximum = maximum;
    this.waiting = waiting;
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
}
