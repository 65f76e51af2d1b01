package dev.pulse.agent.system;

/**
 * When one alert fires and when it clears. The clear level sits under the firing level and both
 * need a streak of checks, so a value hovering at the threshold raises one alert, not a storm.
 */
public final class AlertThreshold {
  private final double fireAt;
  private final double clearBelow;
  private final int fireAfter;
  private final int clearAfter;
  private final double criticalAt;

  /**
   * A percent threshold: {@code hysteresisPercent} of {@code fireAt} below it is where the alert
   * clears, and it is critical from half-way between the threshold and 100%.
   */
  public AlertThreshold(double fireAt, int hysteresisPercent, int fireAfter, int clearAfter) {
    this(fireAt, hysteresisPercent, fireAfter, clearAfter, (fireAt + 100) / 2);
  }

  AlertThreshold(double fireAt, int hysteresisPercent, int fireAfter, int clearAfter,
      double criticalAt) {
    this.criticalAt = criticalAt;
    this.fireAt = fireAt;
    this.clearBelow = fireAt * (100 - hysteresisPercent) / 100.0;
    this.fireAfter = fireAfter;
    this.clearAfter = clearAfter;
  }

  double fireAt() {
    return fireAt;
  }

  double clearBelow() {
    return clearBelow;
  }

  boolean breached(double value) {
    return value >= fireAt;
  }

  /** Under the clear level; a threshold with no hysteresis clears as soon as it is not breached. */
  boolean cleared(double value) {
    return clearBelow < fireAt ? value < clearBelow : value < fireAt;
  }

  String severity(double value) {
    return value >= criticalAt ? "critical" : "warning";
  }

  int fireAfter() {
    return fireAfter;
  }

  int clearAfter() {
    return clearAfter;
  }
}
