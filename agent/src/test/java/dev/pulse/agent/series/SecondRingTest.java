package dev.pulse.agent.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecondRingTest {
  private static final long T = 1_800_000_000L; // an epoch second

  @Test
  void holdsWhatWasWrittenAndNothingElse() {
    SecondRing ring = new SecondRing(2);
    assertTrue(Float.isNaN(ring.get(0, T)), "an empty ring holds gaps");
    ring.put(T, T, new float[] {1, 2});
    assertEquals(1f, ring.get(0, T));
    assertEquals(2f, ring.get(1, T));
    assertTrue(Float.isNaN(ring.get(0, T - 1)));
    assertTrue(Float.isNaN(ring.get(0, T + 1)), "the future is not held");
  }

  @Test
  void oneSampleFillsTheSecondsItStandsForAndLeavesTheRestAsGaps() {
    SecondRing ring = new SecondRing(1);
    ring.put(T, T, new float[] {1});
    ring.put(T + 1, T + 3, new float[] {2}); // a late run: three seconds of one average
    for (long s = T + 1; s <= T + 3; s++) {
      assertEquals(2f, ring.get(0, s));
    }
    ring.put(T + 10, T + 10, new float[] {3}); // nothing sampled from T+4 to T+9
    for (long s = T + 4; s <= T + 9; s++) {
      assertTrue(Float.isNaN(ring.get(0, s)), "second " + (s - T) + " is a gap");
    }
    assertEquals(3f, ring.get(0, T + 10));
  }

  @Test
  void wrapsAroundKeepingTheLastFifteenMinutesOnly() {
    SecondRing ring = new SecondRing(1);
    int total = SecondRing.SECONDS * 2 + 17;
    for (int i = 0; i < total; i++) {
      ring.put(T + i, T + i, new float[] {i});
    }
    long newest = T + total - 1;
    assertEquals(newest, ring.newest());
    for (long s = newest - SecondRing.SECONDS + 1; s <= newest; s++) {
      assertEquals((float) (s - T), ring.get(0, s), "second " + (s - T));
    }
    assertTrue(Float.isNaN(ring.get(0, newest - SecondRing.SECONDS)),
        "a second older than the span is no longer held, though its slot was reused");
  }

  @Test
  void aGapLongerThanTheSpanClearsEverything() {
    SecondRing ring = new SecondRing(1);
    for (int i = 0; i < 60; i++) {
      ring.put(T + i, T + i, new float[] {7});
    }
    long later = T + 59 + SecondRing.SECONDS + 5;
    ring.put(later, later, new float[] {8});
    int held = 0;
    for (long s = later - SecondRing.SECONDS + 1; s <= later; s++) {
      held += Float.isNaN(ring.get(0, s)) ? 0 : 1;
    }
    assertEquals(1, held, "only the newest second is held");
  }

  @Test
  void aSampleNoNewerThanTheNewestIsIgnored() {
    SecondRing ring = new SecondRing(1);
    ring.put(T, T, new float[] {1});
    ring.put(T, T, new float[] {2});
    ring.put(T - 5, T - 1, new float[] {3});
    assertEquals(1f, ring.get(0, T));
    assertTrue(Float.isNaN(ring.get(0, T - 1)));
  }

  @Test
  void itsMemoryIsItsArrays() {
    // 7 figures (a pool) and 5 (a collection), 900 seconds of 4-byte floats
    assertEquals(7 * (16 + 3600) + 16 + 28, new SecondRing(7).arrayBytes());
    assertEquals(5 * (16 + 3600) + 16 + 20, new SecondRing(5).arrayBytes());
  }
}
