package dev.pulse.agent.autoscale;

/** The sizer's thresholds, from the settings. */
public final class SizerLimits {
  final int highPercent;
  final int lowPercent;
  final int growAfter;
  final int shrinkAfter;
  final long cooldownMillis;
  final double latencyFactor;
  final long warmupMillis;

  public SizerLimits(int highPercent, int lowPercent, int growAfter, int shrinkAfter,
      long cooldownMillis, double latencyFactor, long warmupMillis) {
    this.highPercent = highPercent;
    this.lowPercent = lowPercent;
    this.growAfter = growAfter;
    this.shrinkAfter = shrinkAfter;
    this.cooldownMillis = cooldownMillis;
    this.latencyFactor = latencyFactor;
    this.warmupMillis = warmupMillis;
  }

  /**
   * The size at which {@code demand} fills the pool to the high mark: 20 at 80 % is 25. Demand is
   * taken to a tenth, as the reason reports it, so the reason's figure gives the size.
   */
  int sizeFor(double demand) {
    long tenths = Math.round(demand * 10);
    return (int) ((tenths * 10 + highPercent - 1) / highPercent);
  }

  boolean above(double demand, int size) {
    return demand * 100 > (double) size * highPercent;
  }

  boolean under(double demand, int size) {
    return demand * 100 <= (double) size * lowPercent;
  }
}
