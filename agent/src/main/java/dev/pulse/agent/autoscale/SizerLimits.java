package dev.pulse.agent.autoscale;

/** The sizer's thresholds, from the settings. */
public final class SizerLimits {
  final int highPercent;
  final int lowPercent;
  final int growAfter;
  final int shrinkAfter;
  final int stepPercent;
  final long cooldownMillis;
  final double latencyFactor;

  public SizerLimits(int highPercent, int lowPercent, int growAfter, int shrinkAfter,
      int stepPercent, long cooldownMillis, double latencyFactor) {
    this.highPercent = highPercent;
    this.lowPercent = lowPercent;
    this.growAfter = growAfter;
    this.shrinkAfter = shrinkAfter;
    this.stepPercent = stepPercent;
    this.cooldownMillis = cooldownMillis;
    this.latencyFactor = latencyFactor;
  }

  /** 20% of 20 is 4; never less than one connection. */
  int step(int size) {
    return Math.max(1, (int) Math.round(size * stepPercent / 100.0));
  }
}
