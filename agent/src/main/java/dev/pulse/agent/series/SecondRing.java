package dev.pulse.agent.series;

import java.util.Arrays;

/**
 * A few figures per second over the last {@link #SECONDS} seconds, one primitive float array per
 * figure used as a ring: a second's values sit at {@code second % SECONDS}. A second that no sample
 * covered holds NaN, so a gap reads as a gap, never as zero. No object per sample: the memory is
 * the arrays', fixed at construction. Not thread-safe; its owner locks.
 */
final class SecondRing {
  static final int SECONDS = 15 * 60;

  private final float[][] figures;
  /** The newest second written, or {@code Long.MIN_VALUE} before the first. */
  private long newest = Long.MIN_VALUE;

  SecondRing(int figureCount) {
    figures = new float[figureCount][SECONDS];
    for (float[] ring : figures) {
      Arrays.fill(ring, Float.NaN);
    }
  }

  /**
   * Writes {@code values} into every second from {@code firstSecond} to {@code lastSecond} (the
   * seconds one sample stands for); the seconds between the newest written and {@code firstSecond}
   * become gaps. A sample no newer than the newest second is ignored (the clock went back).
   */
  void put(long firstSecond, long lastSecond, float[] values) {
    if (lastSecond <= newest) {
      return;
    }
    long from = newest == Long.MIN_VALUE ? lastSecond - SECONDS + 1
        : Math.max(newest + 1, lastSecond - SECONDS + 1);
    for (long second = from; second <= lastSecond; second++) {
      int slot = (int) Math.floorMod(second, (long) SECONDS);
      boolean covered = second >= firstSecond;
      for (int f = 0; f < figures.length; f++) {
        figures[f][slot] = covered ? values[f] : Float.NaN;
      }
    }
    newest = lastSecond;
  }

  /** The value of figure {@code figure} at {@code second}, NaN when none is held for it. */
  float get(int figure, long second) {
    if (newest == Long.MIN_VALUE || second > newest || second <= newest - SECONDS) {
      return Float.NaN;
    }
    return figures[figure][(int) Math.floorMod(second, (long) SECONDS)];
  }

  long newest() {
    return newest;
  }

  int figureCount() {
    return figures.length;
  }

  /** The bytes of its arrays as the JVM lays them out (16-byte array header, 4 bytes a float). */
  long arrayBytes() {
    return figures.length * (16L + 4L * SECONDS) + 16L + 4L * figures.length;
  }
}
