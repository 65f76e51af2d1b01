package dev.pulse.agent.system;

/** One alert's state between checks: whether it fires, and the current streak toward a change. */
final class AlertTracker {
  enum Change { NONE, FIRED, RESOLVED }

  private final AlertThreshold threshold;
  private boolean firing;
  private int streak;

  AlertTracker(AlertThreshold threshold) {
    this.threshold = threshold;
  }

  /** Takes one check's value; says whether the alert fired or resolved with it. */
  Change update(double value) {
    boolean towardChange = firing ? threshold.cleared(value) : threshold.breached(value);
    streak = towardChange ? streak + 1 : 0;
    if (streak < (firing ? threshold.clearAfter() : threshold.fireAfter())) {
      return Change.NONE;
    }
    streak = 0;
    firing = !firing;
    return firing ? Change.FIRED : Change.RESOLVED;
  }

  boolean firing() {
    return firing;
  }

  AlertThreshold threshold() {
    return threshold;
  }
}
