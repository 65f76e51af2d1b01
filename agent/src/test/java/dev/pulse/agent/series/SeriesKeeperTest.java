package dev.pulse.agent.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Collections' series from search_completed events, on a clock the test moves. */
class SeriesKeeperTest {
  private static final long T0 = 1_800_000_000_000L; // epoch ms, a whole second

  private final AtomicLong clock = new AtomicLong(T0);
  private final AtomicInteger firstSeen = new AtomicInteger();
  private final CollectionTotals totals = new CollectionTotals(firstSeen::incrementAndGet);
  private final SeriesKeeper keeper = new SeriesKeeper(List::of, totals, clock::get);
  private final List<Event> passedOn = new ArrayList<>();
  private final Consumer<Event> publisher = totals.following(passedOn::add);

  @Test
  void eachSecondHoldsItsSearchesLatencyRowsAndRecall() {
    assertFalse(keeper.hasWork(), "no pool, no collection: nothing to sample");
    search("items", 3.0, 10, null);
    assertEquals(1, firstSeen.get(), "the schedule is told of the first collection");
    assertTrue(keeper.hasWork());
    keeper.run(); // T0: one search since the collection was seen
    clock.addAndGet(1000);
    for (int i = 0; i < 4; i++) {
      search("items", 0.5, 10, 0.9);
    }
    search("items", 50.0, 4, 0.7);
    keeper.run(); // T0+1: five searches
    clock.addAndGet(1000);
    keeper.run(); // T0+2: none

    Map<String, ?> series = only(keeper.series(15));
    assertEquals("collection", series.get("kind"));
    assertEquals("items", series.get("name"));
    assertEquals(T0, series.get("start_ms"), "starts at the first second held");
    assertEquals(3, series.get("points"));
    Map<?, ?> values = (Map<?, ?>) series.get("values");
    assertEquals(List.of(1.0, 5.0, 0.0), values.get("searches_per_second"));
    assertEquals(List.of(4.096, 0.512), ((List<?>) values.get("latency_p50_ms")).subList(0, 2),
        "the upper bound of the power-of-two bucket");
    assertEquals(65.536, ((List<?>) values.get("latency_p99_ms")).get(1));
    assertNull(((List<?>) values.get("latency_p99_ms")).get(2), "no search, no latency");
    assertEquals(List.of(10.0, 8.8), ((List<?>) values.get("rows")).subList(0, 2));
    assertEquals(0.86, ((List<?>) values.get("recall")).get(1));
    assertNull(((List<?>) values.get("recall")).get(0), "no estimate yet: null, never made up");
    assertEquals(6, passedOn.size(), "every event goes on to the stream");
  }

  @Test
  void aSampledEventCountsForTheSearchesItStandsFor() {
    search("items", 1.0, 10, null);
    keeper.run();
    clock.addAndGet(1000);
    Map<String, Object> data = searchData("items", 1.0, 10, null);
    data.put("sample_weight", 40);
    publisher.accept(Event.now(Channel.VECTOR_SEARCH, "search_completed", data));
    keeper.run();
    Map<?, ?> values = (Map<?, ?>) only(keeper.series(1)).get("values");
    assertEquals(40.0, ((List<?>) values.get("searches_per_second")).get(1));
  }

  @Test
  void secondsWhenNothingRanAreGapsAndALateRunFillsTheSecondsItCovers() {
    search("items", 1.0, 10, null);
    keeper.run(); // T0
    clock.addAndGet(3000);
    for (int i = 0; i < 6; i++) {
      search("items", 1.0, 10, null);
    }
    keeper.run(); // T0+3, late: 6 searches over 3 s
    clock.addAndGet(60_000);
    keeper.run(); // T0+63: the sampler was off, the minute between is a gap
    List<?> rate = (List<?>) ((Map<?, ?>) only(keeper.series(15)).get("values"))
        .get("searches_per_second");
    assertEquals(64, rate.size());
    assertEquals(List.of(1.0, 2.0, 2.0, 2.0), rate.subList(0, 4));
    for (int i = 4; i < 63; i++) {
      assertNull(rate.get(i), "second " + i);
    }
    assertEquals(0.0, rate.get(63));
  }

  @Test
  void minutesBoundWhatIsSent() {
    search("items", 1.0, 10, null);
    for (int i = 0; i < 20 * 60; i++) { // 20 minutes of samples, one a second
      keeper.run();
      clock.addAndGet(1000);
      search("items", 1.0, 10, null);
    }
    assertEquals(60, only(keeper.series(1)).get("points"));
    assertEquals(5 * 60, only(keeper.series(5)).get("points"));
    Map<String, ?> all = only(keeper.series(15));
    assertEquals(SecondRing.SECONDS, all.get("points"), "at most the 15 minutes kept");
    long newest = T0 + (20 * 60 - 1) * 1000L;
    assertEquals(newest - (SecondRing.SECONDS - 1) * 1000L, all.get("start_ms"));
  }

  @Test
  void aCollectionNotSearchedForTheWholeSpanIsForgotten() {
    search("items", 1.0, 10, null);
    keeper.run();
    clock.addAndGet(SecondRing.SECONDS * 1000L - 1000);
    keeper.run();
    assertEquals(1, keeper.series(15).size(), "its first second is still within the span");
    clock.addAndGet(1000);
    keeper.run();
    assertTrue(keeper.series(15).isEmpty());
    assertFalse(keeper.hasWork(), "nothing left to sample: the schedule may stop");
  }

  @Test
  void noMoreThanTheBoundOfCollectionsIsFollowed() {
    for (int i = 0; i < CollectionTotals.MAX_COLLECTIONS + 30; i++) {
      search("c" + i, 1.0, 1, null);
    }
    keeper.run();
    assertEquals(CollectionTotals.MAX_COLLECTIONS, keeper.series(15).size());
    assertEquals(CollectionTotals.MAX_COLLECTIONS + 30, passedOn.size(),
        "the others still reach the stream");
  }

  @Test
  void nothingSampledYetGivesNoSeries() {
    assertTrue(keeper.series(15).isEmpty());
  }

  private void search(String collection, double millis, Integer rows, Double recall) {
    publisher.accept(Event.now(Channel.VECTOR_SEARCH, "search_completed",
        searchData(collection, millis, rows, recall)));
  }

  private static Map<String, Object> searchData(String collection, double millis, Integer rows,
      Double recall) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("collection", collection);
    data.put("search_time_ms", millis);
    data.put("results_count", rows);
    data.put("recall_estimated", recall);
    return data;
  }

  private static Map<String, ?> only(List<Map<String, ?>> series) {
    assertEquals(1, series.size(), String.valueOf(series));
    return series.get(0);
  }
}
