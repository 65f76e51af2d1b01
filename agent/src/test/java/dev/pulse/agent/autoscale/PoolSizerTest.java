package dev.pulse.agent.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PoolSizerTest {
  private static final SizerLimits LIMITS = new SizerLimits(80, 30, 3, 5, 20, 10_000, 1.5);

  private long now = 1_000_000;
  private final PoolSizer sizer = new PoolSizer(LIMITS);

  private SizeDecision sample(int maximum, int active, int waiting, double latency) {
    now += 1000;
    return sizer.next(new PoolSample(now, maximum, active, waiting, latency, null), 20, 40);
  }

  @Test
  void growsByTheStepAfterThreeBusySamples() {
    assertFalse(sample(20, 18, 0, 5).isResize());
    assertFalse(sample(20, 19, 0, 5).isResize());
    SizeDecision third = sample(20, 20, 2, 5);
    assertTrue(third.isResize());
    assertEquals(24, third.newSize());
    assertEquals("high load: utilization 100% > 80% for 3 samples, 2 threads waiting", third.reason());
  }

  @Test
  void aQuietSampleBreaksTheStreak() {
    sample(20, 18, 0, 5);
    sample(20, 18, 0, 5);
    sample(20, 10, 0, 5);
    assertFalse(sample(20, 18, 0, 5).isResize());
    assertFalse(sample(20, 18, 0, 5).isResize());
    assertTrue(sample(20, 18, 0, 5).isResize());
  }

  @Test
  void waitingThreadsCountAsBusyEvenAtLowUtilization() {
    sample(20, 10, 3, 5);
    sample(20, 10, 3, 5);
    SizeDecision decision = sample(20, 10, 3, 5);
    assertTrue(decision.isResize());
    assertEquals("high load: 3 threads waiting for a connection for 3 samples", decision.reason());
  }

  @Test
  void cooldownSeparatesResizes() {
    for (int i = 0; i < 3; i++) {
      sample(20, 20, 1, 5);
    }
    // grown to 24 at this point; busy again at once, but within the 10 s cooldown
    for (int i = 0; i < 3; i++) {
      SizeDecision decision = sample(24, 24, 1, 5);
      assertFalse(decision.isResize());
    }
    assertEquals("cooling down after the last resize", sample(24, 24, 1, 5).reason());
    now += 10_000;
    assertTrue(sample(24, 24, 1, 5).isResize());
  }

  @Test
  void neverAboveTheCeilingNorBelowTheFloor() {
    SizeDecision decision = null;
    for (int i = 0; i < 3; i++) {
      decision = sizer.next(new PoolSample(now += 1000, 38, 38, 0, 5, null), 20, 40);
    }
    assertEquals(40, decision.newSize());
    for (int i = 0; i < 3; i++) {
      decision = sizer.next(new PoolSample(now += 20_000, 40, 40, 0, 5, null), 20, 40);
    }
    assertFalse(decision.isResize());
    assertEquals("at the ceiling of 40", decision.reason());

    PoolSizer fresh = new PoolSizer(LIMITS);
    for (int i = 0; i < 5; i++) {
      decision = fresh.next(new PoolSample(now += 1000, 21, 0, 0, 5, null), 20, 40);
    }
    assertEquals(20, decision.newSize(), "step 20% of 21 is 4, but the floor is 20");
  }

  @Test
  void shrinksAfterFiveQuietSamples() {
    for (int i = 0; i < 4; i++) {
      assertFalse(sample(30, 2, 0, 5).isResize());
    }
    SizeDecision decision = sample(30, 2, 0, 5);
    assertEquals(24, decision.newSize());
    assertEquals("low load: utilization 7% < 30% for 5 samples", decision.reason());
  }

  @Test
  void anOutageIsNotLoad() {
    for (int i = 0; i < 10; i++) {
      now += 1000;
      SizeDecision decision = sizer.next(new PoolSample(now, 20, 0, 15, Double.NaN, "SQLState 08001"),
          20, 40);
      assertFalse(decision.isResize());
      assertTrue(decision.reason().startsWith("database unreachable (SQLState 08001)"));
    }
  }

  @Test
  void risingLatencyAfterAGrowStopsFurtherGrowth() {
    for (int i = 0; i < 3; i++) {
      sample(20, 20, 4, 10);
    }
    now += 10_000;
    sample(24, 24, 4, 30);
    sample(24, 24, 4, 30);
    SizeDecision decision = sample(24, 24, 4, 30);
    assertFalse(decision.isResize());
    assertEquals("database looks saturated: statement time rose from 10.0 ms to 30.0 ms after the"
        + " last grow, not growing", decision.reason());
  }

  @Test
  void steadyLatencyAfterAGrowAllowsTheNext() {
    for (int i = 0; i < 3; i++) {
      sample(20, 20, 4, 10);
    }
    now += 10_000;
    sample(24, 24, 4, 11);
    sample(24, 24, 4, 11);
    assertEquals(29, sample(24, 24, 4, 12).newSize());
  }

  @Test
  void someoneElsesResizeRestartsTheCooldown() {
    sample(20, 20, 1, 5);
    sample(20, 20, 1, 5);
    // the application set 22 meanwhile
    assertFalse(sample(22, 22, 1, 5).isResize());
    sample(22, 22, 1, 5);
    sample(22, 22, 1, 5);
    assertEquals("cooling down after the last resize", sample(22, 22, 1, 5).reason());
  }
}
