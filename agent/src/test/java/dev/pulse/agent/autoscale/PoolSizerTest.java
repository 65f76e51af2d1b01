package dev.pulse.agent.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control law on samples made up by the test: no pool, no clock, no database. */
class PoolSizerTest {
  /** The defaults: high 80 %, low 30 %, grow after 1 sample, shrink after 3, cooldown 500 ms. */
  private static final SizerLimits LIMITS = new SizerLimits(80, 30, 1, 3, 500, 1.5, 0);

  private long now = 1_000_000;
  private PoolSizer sizer = new PoolSizer(LIMITS);

  /** A full pool (every allowed connection open), one second after the previous sample. */
  private SizeDecision sample(int maximum, int active, int waiting, double latency) {
    return at(1000, maximum, maximum, active, waiting, 0, latency, 5, 20);
  }

  private SizeDecision at(long afterMillis, int maximum, int total, int active, int waiting,
      double meanWaiting, double latency, int floor, int ceiling) {
    now += afterMillis;
    return sizer.next(new PoolSample(now, maximum, total, active, waiting, meanWaiting, 0,
        latency, null), floor, ceiling);
  }

  @Test
  void aQueueOnAFullPoolGrowsItInOneMoveToTheDemand() {
    SizeDecision decision = at(1000, 5, 5, 5, 3, 0, 20, 5, 40);
    assertTrue(decision.isResize());
    assertEquals(10, decision.newSize(), "demand 8 fills 10 to 80 %");
    assertEquals("high load: demand 8.0 (5 in use, 3 waiting) over 80% of 5", decision.reason());
  }

  @Test
  void aPoolIsLeftAloneForTheWarmUpAfterItsFirstSample() {
    sizer = new PoolSizer(new SizerLimits(80, 30, 1, 3, 500, 1.5, 3000));
    SizeDecision first = at(0, 2, 2, 2, 1, 0, 20, 2, 8); // a third borrow waits on a new pool
    assertFalse(first.isResize(), first.reason());
    assertTrue(first.reason().startsWith("warming up"), first.reason());
    assertFalse(at(2999, 2, 2, 2, 1, 0, 20, 2, 8).isResize(), "still its start");
    SizeDecision after = at(1, 2, 2, 2, 1, 0, 20, 2, 8);
    assertTrue(after.isResize(), after.reason());
    assertEquals(4, after.newSize(), "demand 3 fills 4 to 80 %");
  }

  @Test
  void aStepBeyondTheCeilingStopsThere() {
    SizeDecision decision = sample(5, 5, 15, 20);
    assertEquals(20, decision.newSize(), "demand 20 wants 25; the ceiling is 20");
    assertEquals("high load: demand 20.0 (5 in use, 15 waiting) over 80% of 5, up to the ceiling",
        decision.reason());
    now += 1000;
    decision = sample(20, 20, 0, 20);
    assertFalse(decision.isResize());
    assertEquals("at the ceiling of 20, demand 20.0 (20 in use, 0 waiting)", decision.reason());
  }

  @Test
  void theMeanQueueByLittlesLawCountsWhenNobodyWaitsAtTheSampleItself() {
    // 10 in use and nobody waiting right now, but borrowers waited 6 s in the last second
    SizeDecision decision = at(1000, 10, 10, 10, 0, 6.0, 20, 5, 40);
    assertEquals(20, decision.newSize());
    assertEquals("high load: demand 16.0 (10 in use, 6 waiting) over 80% of 10", decision.reason());
  }

  @Test
  void aFullPoolWithoutQueueGrowsOnlyPastTheHighMark() {
    assertFalse(sample(20, 16, 0, 20).isResize(), "16 of 20 is 80 %: not above it");
    assertEquals(24, at(1000, 20, 20, 19, 0, 0, 20, 5, 40).newSize(), "19 of 20 fills 24 to 80 %");
  }

  @Test
  void growsOnlyAfterTheConfiguredNumberOfSamples() {
    sizer = new PoolSizer(new SizerLimits(80, 30, 3, 3, 500, 1.5, 0));
    assertFalse(sample(5, 5, 15, 20).isResize());
    assertFalse(sample(5, 5, 0, 20).isResize(), "5 of 5 in use: still above 80 %");
    assertEquals(20, sample(5, 5, 15, 20).newSize());
    sizer = new PoolSizer(new SizerLimits(80, 30, 3, 3, 500, 1.5, 0));
    sample(5, 5, 15, 20);
    sample(5, 3, 0, 20); // 60 %: the streak breaks
    assertFalse(sample(5, 5, 15, 20).isResize());
  }

  @Test
  void doesNotGrowWhileThePoolIsStillOpeningWhatItMay() {
    SizeDecision decision = at(1000, 20, 12, 12, 8, 0, 20, 5, 40);
    assertFalse(decision.isResize());
    assertEquals("opening connections: 12 of 20 open while threads wait, not growing",
        decision.reason());
    assertEquals(35, at(1000, 20, 20, 20, 8, 0, 20, 5, 40).newSize(), "opened: now it may");
  }

  @Test
  void whileOpeningItFollowsTheQueueNowAsLongAsConnectionsDoOpen() {
    // the first slow borrow of a step sees few of the threads that are coming
    assertEquals(8, at(1000, 5, 5, 5, 1, 0, 20, 5, 40).newSize());
    // HikariCP opens one connection; the crowd has arrived; the past second's waits are stale
    SizeDecision decision = at(600, 8, 6, 6, 14, 18.0, 20, 5, 40);
    assertEquals(25, decision.newSize(), "demand now 20: 25, not the 30 of 6 in use and 18 waiting on average");
    assertEquals("high load: demand now 20.0 (6 in use, 14 waiting, 6 of 8 open) over 80% of 8",
        decision.reason());
    // no connection opened since that grow: a higher maximum would not help
    decision = at(600, 25, 6, 6, 30, 9.0, 20, 5, 40);
    assertFalse(decision.isResize());
    assertEquals("opening connections: 6 of 25 open while threads wait, not growing",
        decision.reason());
  }

  @Test
  void anOutageIsNotLoad() {
    for (int i = 0; i < 10; i++) {
      now += 1000;
      SizeDecision decision = sizer.next(new PoolSample(now, 5, 5, 5, 15, 15, 0, Double.NaN,
          "SQLState 08001"), 5, 20);
      assertFalse(decision.isResize());
      assertTrue(decision.reason().startsWith("database unreachable (SQLState 08001)"),
          decision.reason());
    }
    // a pool that lost every connection while threads wait is an outage too (Outages), and the
    // one that keeps some but cannot open more is held as still opening
    assertFalse(at(1000, 5, 0, 0, 15, 15, Double.NaN, 5, 20).isResize());
  }

  @Test
  void risingLatencyAfterAGrowStopsFurtherGrowth() {
    assertEquals(10, at(1000, 5, 5, 5, 3, 0, 10, 5, 40).newSize());
    SizeDecision decision = at(1000, 10, 10, 10, 4, 0, 30, 5, 40);
    assertFalse(decision.isResize());
    assertEquals("database looks saturated: statement time rose from 10.0 ms to 30.0 ms after the"
        + " last grow, not growing", decision.reason());
  }

  @Test
  void steadyLatencyAfterAGrowAllowsTheNext() {
    assertEquals(10, at(1000, 5, 5, 5, 3, 0, 10, 5, 40).newSize());
    assertEquals(18, at(1000, 10, 10, 10, 4, 0, 12, 5, 40).newSize());
  }

  @Test
  void cooldownSeparatesAShrinkFromTheGrowBeforeIt() {
    assertEquals(10, at(1000, 5, 5, 5, 3, 0, 20, 5, 40).newSize());
    // the burst is over at once; samples every 100 ms (autoscale.interval=100ms)
    for (int i = 0; i < 4; i++) {
      SizeDecision decision = at(100, 10, 10, 1, 0, 0, 20, 5, 40);
      assertFalse(decision.isResize(), "quiet, but " + (i + 1) * 100 + " ms after the grow");
    }
    assertEquals(7, at(100, 10, 10, 1, 0, 0, 20, 5, 40).newSize(), "500 ms after");
  }

  @Test
  void cooldownSeparatesAGrowFromTheShrinkBeforeIt() {
    assertFalse(sample(20, 1, 0, 20).isResize());
    assertFalse(sample(20, 1, 0, 20).isResize());
    assertEquals(12, sample(20, 1, 0, 20).newSize());
    SizeDecision decision = at(200, 12, 12, 12, 4, 0, 20, 5, 40);
    assertFalse(decision.isResize());
    assertEquals("cooling down after the last resize", decision.reason());
    assertEquals(20, at(300, 12, 12, 12, 4, 0, 20, 5, 40).newSize(), "500 ms after");
  }

  @Test
  void aQueueThatOutgrewOurLastGrowGrowsAgainWithoutWaitingForTheCooldown() {
    // the first slow borrow of a step sees one thread waiting: 8
    assertEquals(8, at(1000, 5, 5, 5, 1, 0, 20, 5, 40).newSize());
    // the crowd arrives, but no connection has opened yet: still no second grow
    SizeDecision decision = at(100, 8, 5, 5, 15, 0, 20, 5, 40);
    assertEquals("opening connections: 5 of 8 open while threads wait, not growing",
        decision.reason());
    // 100 ms later HikariCP has opened one: no cooldown between two grows of ours, or the adder
    // would idle at 8 while 14 threads wait
    decision = at(100, 8, 6, 6, 14, 0, 20, 5, 40);
    assertTrue(decision.isResize(), decision.reason());
    assertEquals(25, decision.newSize());
  }

  @Test
  void aSecondGrowWithinTheCooldownStillMindsTheStatementTime() {
    assertEquals(10, at(1000, 5, 5, 5, 3, 0, 10, 5, 40).newSize());
    SizeDecision decision = at(100, 10, 10, 10, 8, 0, 30, 5, 40);
    assertFalse(decision.isResize());
    assertTrue(decision.reason().startsWith("database looks saturated"), decision.reason());
  }

  @Test
  void someoneElsesResizeRestartsTheCooldown() {
    assertFalse(sample(10, 6, 0, 20).isResize());
    // the application set 12 meanwhile
    SizeDecision decision = at(100, 12, 12, 12, 3, 0, 20, 5, 40);
    assertEquals("cooling down after the last resize", decision.reason());
    assertTrue(at(500, 12, 12, 12, 3, 0, 20, 5, 40).isResize());
  }

  @Test
  void quietForThreeSamplesGivesBackHalfTheSurplusEachSampleDownToTheFloor() {
    assertFalse(sample(20, 1, 0, 20).isResize());
    assertFalse(sample(20, 1, 0, 20).isResize());
    SizeDecision decision = sample(20, 1, 0, 20);
    assertEquals(12, decision.newSize(), "the demand fits the floor of 5: half of 15 (8) back");
    assertEquals("low load: demand 1.0 (1 in use, 0 waiting) under 30% of 20 for 3 samples,"
        + " half the surplus given back", decision.reason());
    decision = sample(12, 1, 0, 20);
    assertEquals(8, decision.newSize());
    assertTrue(decision.reason().contains(" for 4 samples,"), decision.reason());
    assertEquals(6, sample(8, 0, 0, 20).newSize());
    assertEquals(5, sample(6, 1, 0, 20).newSize());
    assertFalse(sample(5, 0, 0, 20).isResize(), "the floor");
  }

  @Test
  void demandBetweenTheMarksHoldsTheSize() {
    for (int i = 0; i < 10; i++) {
      SizeDecision decision = sample(20, 10, 0, 20);
      assertFalse(decision.isResize());
      assertEquals("steady, demand 10.0 (10 in use, 0 waiting)", decision.reason());
    }
  }

  @Test
  void aQueueInterruptsTheQuiet() {
    sample(20, 1, 0, 20);
    sample(20, 1, 0, 20);
    // at 5 % use, but borrowers queued on average since the last sample: not quiet
    assertFalse(at(1000, 20, 20, 1, 0, 0.5, 20, 5, 20).isResize());
    assertFalse(sample(20, 1, 0, 20).isResize());
  }

  @Test
  void theMicrosecondsEveryBorrowWaitsAreNoQueue() {
    // 20 borrows a second, each 50 microseconds in getConnection: a mean queue of 0.001
    for (int i = 0; i < 2; i++) {
      assertFalse(at(1000, 20, 20, 1, 0, 0.001, 20, 5, 20).isResize());
    }
    assertEquals(12, at(1000, 20, 20, 1, 0, 0.001, 20, 5, 20).newSize());
  }

  /**
   * The step load of the sizer benchmark, as a closed loop: each sample sees the users the pool
   * can serve in use and the rest waiting. 5 s of 1 user, 20 s of 20 users, 15 s of 1 user.
   */
  @Test
  void aStepLoadIsMetAtItsFirstSampleAndGivenBackWithinSixAfterIt() {
    int size = 5;
    List<Integer> sizes = new ArrayList<>();
    for (int second = 0; second < 40; second++) {
      int users = second >= 5 && second < 25 ? 20 : 1;
      SizeDecision decision = sample(size, Math.min(users, size), Math.max(0, users - size), 20);
      size = decision.newSize();
      sizes.add(size);
    }
    assertEquals(List.of(5, 5, 5, 5, 5, 20, 20), sizes.subList(0, 7), "up at the first sample");
    assertEquals(20, sizes.get(24), "held while the step lasts");
    assertEquals(List.of(20, 20, 12, 8, 6, 5), sizes.subList(25, 31), sizes.toString());
    assertEquals(5, sizes.get(39));
  }
}
