package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.broadcaster.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** vector_stats per searched collection, on a schedule that runs only while searches happen. */
class VectorStatsPublisherTest {
  private final List<Event> events = new ArrayList<>();
  private final AtomicInteger wakes = new AtomicInteger();
  private final RecallEstimates recall = new RecallEstimates();
  private final VectorStatsPublisher publisher =
      new VectorStatsPublisher(events::add, 50, wakes::incrementAndGet, recall);

  @Test
  void eachSearchedCollectionGetsItsFiguresAndAQuietOneNone() {
    search("items", 2_000_000, 10);
    search("items", 4_000_000, 3);
    search("docs", 1_000_000, 10);
    publisher.of("quiet");
    publisher.run();
    assertEquals(2, events.size(), "the collection without searches is not reported");
    Map<String, ?> items = byCollection("items");
    assertEquals("vector_stats", events.get(0).type());
    assertEquals(2L, items.get("searches"));
    assertEquals(2L, items.get("searches_total"));
    assertEquals(1L, items.get("short_results"));
    assertEquals(6.5, items.get("rows_mean"));
    assertEquals(0L, items.get("events"), "no search_completed was counted as sent here");
    assertNull(items.get("recall_estimated"), "no exact re-run yet: no estimate");
    assertEquals(0, items.get("recall_samples"));
    assertTrue((Double) items.get("search_time_p50_ms") >= 1.8
        && (Double) items.get("search_time_p99_ms") <= 4.3, items.toString());
  }

  @Test
  void recallIsTheEstimateOfTheCollectionsLatestShape() {
    String shape = RecallEstimates.shape("items", Distance.L2, 10, 40, 1, "off");
    recall.add(shape, 0.8);
    recall.add(shape, 1.0);
    publisher.of("items").latestShape = shape;
    search("items", 1_000_000, 10);
    publisher.run();
    assertEquals(0.9, byCollection("items").get("recall_estimated"));
    assertEquals(2, byCollection("items").get("recall_samples"));
  }

  @Test
  void theTaskLeavesTheScheduleAfterAQuietRunAndTheNextSearchBringsItBack() {
    search("items", 1_000_000, 10);
    assertEquals(1, wakes.get(), "the first search wakes the task");
    search("items", 1_000_000, 10);
    assertEquals(1, wakes.get(), "later ones only read a flag");
    publisher.run();
    assertTrue(publisher.wanted(), "it had searches: stays on");
    publisher.run();
    assertFalse(publisher.wanted(), "a run without searches takes it off");
    search("items", 1_000_000, 10);
    assertEquals(2, wakes.get());
    assertTrue(publisher.wanted());
  }

  @Test
  void collectionsPastTheBoundAreCountedTogether() {
    for (int i = 0; i < VectorStatsPublisher.MAX_COLLECTIONS + 5; i++) {
      publisher.of("t" + i);
    }
    assertSame(publisher.of("t" + (VectorStatsPublisher.MAX_COLLECTIONS + 3)), publisher.of(null));
    assertEquals(VectorStatsPublisher.MAX_COLLECTIONS + 1, publisher.collections().size());
  }

  private void search(String collection, long nanos, int rows) {
    publisher.of(collection).record(nanos, rows, 10, false);
    publisher.searched();
  }

  private Map<String, ?> byCollection(String collection) {
    return events.stream().filter(e -> collection.equals(e.data().get("collection")))
        .reduce((a, b) -> b).orElseThrow().data();
  }
}
