package dev.pulse.agent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.system.AlertTracker.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {

  private static List<Change> changes(AlertTracker tracker, double... values) {
    List<Change> changes = new ArrayList<>();
    for (double value : values) {
      Change change = tracker.update(value);
      if (change != Change.NONE) {
        changes.add(change);
      }
    }
    return changes;
  }

  @Test
  void firesAfterItsStreakAndResolvesAfterItsStreakUnderTheClearLevel() {
    AlertTracker tracker = new AlertTracker(new AlertThreshold(90, 10, 2, 3));
    assertEquals(Change.NONE, tracker.update(95));
    assertEquals(Change.FIRED, tracker.update(91));
    assertTrue(tracker.firing());
    // under the threshold but not under the clear level (81): still firing
    assertEquals(List.of(), changes(tracker, 85, 82, 81, 89));
    assertEquals(Change.NONE, tracker.update(80));
    assertEquals(Change.NONE, tracker.update(50));
    assertEquals(Change.RESOLVED, tracker.update(10));
    assertFalse(tracker.firing());
  }

  @Test
  void aBreachInterruptedBeforeItsStreakDoesNotFire() {
    AlertTracker tracker = new AlertTracker(new AlertThreshold(90, 10, 3, 1));
    assertEquals(List.of(), changes(tracker, 95, 95, 89, 95, 95, 50, 100, 100));
    assertEquals(List.of(Change.FIRED), changes(tracker, 100));
  }

  @Test
  void aValueHoveringAroundTheThresholdFiresOnceAndDoesNotFlap() {
    AlertTracker tracker = new AlertTracker(new AlertThreshold(80, 10, 2, 2));
    Random random = new Random(42);
    double[] noisy = new double[1000];
    for (int i = 0; i < noisy.length; i++) {
      noisy[i] = 80 + (random.nextDouble() * 14 - 7); // 73..87: never under the clear level 72
    }
    assertEquals(List.of(Change.FIRED), changes(tracker, noisy));
    assertEquals(List.of(Change.RESOLVED), changes(tracker, 60, 60));
    assertEquals(List.of(Change.FIRED, Change.RESOLVED, Change.FIRED),
        changes(tracker, 85, 85, 70, 70, 90, 90));
  }

  @Test
  void withoutHysteresisItClearsUnderTheThresholdItself() {
    AlertThreshold threshold = new AlertThreshold(5, 0, 1, 1);
    assertEquals(5, threshold.clearBelow());
    AlertTracker tracker = new AlertTracker(threshold);
    assertEquals(List.of(Change.FIRED, Change.RESOLVED), changes(tracker, 5, 5, 4.9));
  }
}
