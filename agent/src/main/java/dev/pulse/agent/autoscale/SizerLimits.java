package dev.pulse.agent.autoscale;

/** The sizer's thresholds, from the settings. */
public final class SizerLimits {
  final int highPercent;
  final int lowPercent;
  final int growAfter;
  final int shrinkAfter;
  final long cooldownMillis;
  final double latencyFactor;

  public SizerLimits(int highPercent, int lowPercent, int growAfter, int shrinkAfter,
      long cooldownMillis, double latencyFactor) {
    this.highPercent = highPercent;
    this.lowPercent = lowPercent;
    this.growAfter = growAfter;
    this.shrinkAfter = shrinkAfter;
    this.cooldownMillis = cooldownMillis;
    this.latencyFactor = latencyFactor;
  }

  /** The size at which {@code demand} fills the pool to the high mark: 20 at 80 % is 25. */
  int sizeFor(double demand) {
    // rounded first: 20 / 0.8 in binary is a hair over 25
    return (int) Math.ceil(Math.round(demand * 100_000.0 / highPercent) / 1000.0);
  }

  boolean above(double demand, int size) {
    return demand * 100 > (double) size * highPercent;
  }

  boolean under(double demand, int size) {
    return demand * 100 <= (double) size * lowPercent;
  }
}
