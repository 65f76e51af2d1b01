package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.broadcaster.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Advice is published when it changes, and only then. */
class AdviceLedgerTest {
  private final List<Event> events = new ArrayList<>();
  private final AdviceLedger ledger = new AdviceLedger(events::add);

  @Test
  void theSameRecommendationTwiceIsPublishedOnce() {
    assertTrue(ledger.advise("p", "items", "ef_search", "l2|k=10", "m", Map.of("ef_search", 80), Map.of()));
    assertFalse(ledger.advise("p", "items", "ef_search", "l2|k=10", "m2", Map.of("ef_search", 80), Map.of()));
    assertTrue(ledger.advise("p", "items", "ef_search", "l2|k=10", "m3", Map.of("ef_search", 160), Map.of()));
    // another shape of the same collection is advice of its own
    assertTrue(ledger.advise("p", "items", "ef_search", "l2|k=5", "m", Map.of("ef_search", 80), Map.of()));
    assertEquals(3, events.size());
    Event last = events.get(2);
    assertEquals("vector_advice", last.type());
    assertEquals("advised", last.data().get("status"));
    assertEquals(Map.of("ef_search", 80), last.data().get("recommended"));
    assertTrue(last.stateKey() != null && !last.stateKey().equals(events.get(1).stateKey()));
  }

  @Test
  void resolvingNeedsStandingAdviceAndLetsItBeGivenAgain() {
    assertFalse(ledger.resolve("p", "items", "no_index", "", "nothing stood", Map.of()));
    ledger.advise("p", "items", "no_index", "", "create one", Map.of("index", "hnsw"), Map.of());
    assertTrue(ledger.resolve("p", "items", "no_index", "", "served now", Map.of()));
    assertFalse(ledger.resolve("p", "items", "no_index", "", "served now", Map.of()));
    assertTrue(ledger.advise("p", "items", "no_index", "", "create one", Map.of("index", "hnsw"), Map.of()));
    assertEquals(List.of("advised", "resolved", "advised"),
        events.stream().map(e -> e.data().get("status")).collect(java.util.stream.Collectors.toList()));
    assertEquals(Map.of(), events.get(1).data().get("recommended"));
  }
}
