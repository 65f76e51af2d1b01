package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Searches short of k, per collection, taken in windows of at least a given size. */
class ShortResultsTest {

  @Test
  void aShareIsTakenOnlyOverEnoughSearchesAndThenStartsAgain() {
    ShortResults counts = new ShortResults();
    for (int i = 0; i < 19; i++) {
      counts.count("p", "items", 10, i % 4 == 0 ? 3 : 10);
    }
    assertNull(counts.takeIfAtLeast("p", "items", 20));
    counts.count("p", "items", 10, 10);
    ShortResults.Share share = counts.takeIfAtLeast("p", "items", 20);
    assertEquals(20, share.searches);
    assertEquals(5, share.fewer);
    assertEquals(0.25, share.share(), 1e-9);
    assertNull(counts.takeIfAtLeast("p", "items", 1));
    assertNull(counts.takeIfAtLeast("p", "other", 1));
  }

  @Test
  void collectionsPastTheBoundAreNotCounted() {
    ShortResults counts = new ShortResults();
    for (int i = 0; i < ShortResults.MAX_COLLECTIONS; i++) {
      counts.count(i % 2 == 0 ? "p" : "q", "t" + i, 10, 3);
    }
    counts.count("p", "one-too-many", 10, 3);
    assertNull(counts.takeIfAtLeast("p", "one-too-many", 1));
    assertEquals(1, counts.takeIfAtLeast("q", "t1", 1).fewer);
  }
}
