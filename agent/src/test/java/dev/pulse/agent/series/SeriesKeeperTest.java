package dev.pulse.agent.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.vector.RecordedSearches;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Collections' series from the searches' own figures (vector_stats'), on a clock the test moves. */
class SeriesKeeperTest {
  private static final long T0 = 1_800_000_000_000L; // epoch ms, a whole second

  private final AtomicLong clock = new AtomicLong(T0);
  private final AtomicInteger wakes = new AtomicInteger();
  private final RecordedSearches searches = new RecordedSearches(wakes::incrementAndGet);
  private final SeriesKeeper keeper = new SeriesKeeper(List::of, searches.publisher(), clock::get);

  @Test
  void eachSecondHoldsItsSearchesLatencyRowsAndRecall() {
    assertFalse(keeper.hasWork(), "no pool, no collection: nothing to sample");
    searches.search("items", 3.0, 10);
    assertEquals(1, wakes.get(), "the schedule is told of the first search");
    assertTrue(keeper.hasWork());
    keeper.run(); // T0: one search since the collection was seen
    clock.addAndGet(1000);
    searches.measuredRecall("items", 0.86);
    for (int i = 0; i < 4; i++) {
      searches.search("items", 0.5, 10);
    }
    searches.search("items", 50.0, 4);
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
    assertEquals(List.of(2.944, 0.496), ((List<?>) values.get("latency_p50_ms")).subList(0, 2),
        "the middle of the log-linear bucket (within about 6%)");
    assertEquals(51.2, ((List<?>) values.get("latency_p99_ms")).get(1));
    assertNull(((List<?>) values.get("latency_p99_ms")).get(2), "no search, no latency");
    assertEquals(List.of(10.0, 8.8), ((List<?>) values.get("rows")).subList(0, 2));
    assertEquals(0.86, ((List<?>) values.get("recall")).get(1));
    assertNull(((List<?>) values.get("recall")).get(0), "no estimate yet: null, never made up");
    assertNull(((List<?>) values.get("recall")).get(2), "no search: no recall for that second");
  }

  @Test
  void everySearchCountsWhetherItsOwnEventWentOrNot() {
    searches.search("items", 1.0, 10);
    keeper.run();
    clock.addAndGet(1000);
    for (int i = 0; i < 40; i++) {
      searches.search("items", 1.0, 10, i == 39); // sampled: one event stands for 40 searches
    }
    keeper.run();
    Map<?, ?> values = (Map<?, ?>) only(keeper.series(1)).get("values");
    assertEquals(40.0, ((List<?>) values.get("searches_per_second")).get(1));
  }

  @Test
  void secondsWhenNothingRanAreGapsAndALateRunFillsTheSecondsItCovers() {
    searches.search("items", 1.0, 10);
    keeper.run(); // T0
    clock.addAndGet(3000);
    for (int i = 0; i < 6; i++) {
      searches.search("items", 1.0, 10);
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

  /** Runs drift against the seconds on a busy machine: the seconds still add up to the searches. */
  @Test
  void aRunJustOverASecondAfterTheLastThatCoversTwoSecondsCountsEachSearchOnce() {
    searches.search("items", 1.0, 10);
    keeper.run(); // T0
    clock.addAndGet(1_950);
    for (int i = 0; i < 4; i++) {
      searches.search("items", 1.0, 10);
    }
    keeper.run(); // T0 + 1.95 s: second 1
    clock.addAndGet(1_070);
    for (int i = 0; i < 60; i++) {
      searches.search("items", 1.0, 10);
    }
    keeper.run(); // T0 + 3.02 s, 1.07 s later: stands for seconds 2 and 3
    List<?> rate = (List<?>) ((Map<?, ?>) only(keeper.series(15)).get("values"))
        .get("searches_per_second");
    assertEquals(List.of(1.0, 4.0, 30.0, 30.0), rate, "the 60 searches spread over the two"
        + " seconds the run stands for, not counted at their rate in each (56 a second)");
  }

  @Test
  void minutesBoundWhatIsSent() {
    searches.search("items", 1.0, 10);
    for (int i = 0; i < 20 * 60; i++) { // 20 minutes of samples, one a second
      keeper.run();
      clock.addAndGet(1000);
      searches.search("items", 1.0, 10);
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
    searches.search("items", 1.0, 10);
    keeper.run();
    clock.addAndGet(SecondRing.SECONDS * 1000L - 1000);
    keeper.run();
    assertEquals(1, keeper.series(15).size(), "its first second is still within the span");
    clock.addAndGet(1000);
    keeper.run();
    assertTrue(keeper.series(15).isEmpty());
    searches.publisher().run(); // vector_stats' runs: the second finds no search and stops asking
    searches.publisher().run();
    assertFalse(keeper.hasWork(), "nothing left to sample: the schedule may stop");

    clock.addAndGet(60_000);
    for (int i = 0; i < 3; i++) {
      searches.search("items", 1.0, 10);
    }
    assertTrue(keeper.hasWork(), "searched again");
    keeper.run();
    clock.addAndGet(1000);
    searches.search("items", 1.0, 10);
    keeper.run();
    List<?> rate = (List<?>) ((Map<?, ?>) only(keeper.series(15)).get("values"))
        .get("searches_per_second");
    assertEquals(List.of(1.0), rate, "its first second back is a gap (its totals since start are"
        + " not that second's), so its series starts at the next, exact");
  }

  @Test
  void noMoreThanTheBoundOfCollectionsIsFollowed() {
    for (int i = 0; i < SeriesKeeper.MAX_COLLECTIONS + 30; i++) {
      searches.search("c" + i, 1.0, 1);
    }
    searches.search(null, 1.0, 1); // a table not known: counted by vector_stats, no series
    keeper.run();
    assertEquals(SeriesKeeper.MAX_COLLECTIONS, keeper.series(15).size());
  }

  @Test
  void nothingSampledYetGivesNoSeries() {
    assertTrue(keeper.series(15).isEmpty());
  }

  private static Map<String, ?> only(List<Map<String, ?>> series) {
    assertEquals(1, series.size(), String.valueOf(series));
    return series.get(0);
  }
}
