package dev.pulse.agent.series;

import dev.pulse.agent.jdbc.WaitHistogram;
import dev.pulse.broadcaster.Event;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Per collection, cumulative since it was first searched: searches, their times (power-of-two
 * histogram), rows and recall estimates, as the {@code search_completed} events say them. Fed on
 * the publishing thread (the application's, for a search): a map lookup and a few adds, no lock,
 * no allocation once the collection is known. A reader diffs two readings, as with
 * {@link WaitHistogram}. At most {@link #MAX_COLLECTIONS} collections are followed.
 */
public final class CollectionTotals {
  static final int MAX_COLLECTIONS = 100;
  private static final String SEARCH = "search_completed";

  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
  private final Runnable firstSeen;

  /** @param firstSeen told when a collection is followed for the first time (any thread) */
  public CollectionTotals(Runnable firstSeen) {
    this.firstSeen = firstSeen;
  }

  /** Counts each search_completed event, then hands every event on to {@code next}. */
  public Consumer<Event> following(Consumer<Event> next) {
    return event -> {
      if (SEARCH.equals(event.type())) {
        count(event.data());
      }
      next.accept(event);
    };
  }

  void count(Map<String, ?> data) {
    Object collection = data.get("collection");
    Object millis = data.get("search_time_ms");
    if (!(collection instanceof String) || !(millis instanceof Number)) {
      return;
    }
    Tally tally = tally((String) collection);
    if (tally == null) {
      return;
    }
    // a sampled event stands for sample_weight searches
    Object weightValue = data.get("sample_weight");
    long weight = weightValue instanceof Number ? Math.max(1, ((Number) weightValue).longValue()) : 1;
    tally.searches.add(weight);
    tally.times.record((long) (((Number) millis).doubleValue() * 1_000_000));
    Object rows = data.get("results_count");
    if (rows instanceof Number) {
      tally.rows.add(((Number) rows).longValue() * weight);
      tally.rowCounted.add(weight);
    }
    Object recall = data.get("recall_estimated");
    if (recall instanceof Number) {
      tally.recall.add(((Number) recall).doubleValue());
      tally.recallCounted.increment();
    }
  }

  private Tally tally(String collection) {
    Tally tally = tallies.get(collection);
    if (tally != null || tallies.size() >= MAX_COLLECTIONS) {
      return tally;
    }
    Tally added = tallies.computeIfAbsent(collection, name -> new Tally());
    firstSeen.run();
    return added;
  }

  Map<String, Tally> tallies() {
    return tallies;
  }

  /** A collection not searched for the whole span of the series is forgotten. */
  void forget(String collection) {
    tallies.remove(collection);
  }

  boolean isEmpty() {
    return tallies.isEmpty();
  }

  static final class Tally {
    final LongAdder searches = new LongAdder();
    final WaitHistogram times = new WaitHistogram();
    final LongAdder rows = new LongAdder();
    final LongAdder rowCounted = new LongAdder();
    final DoubleAdder recall = new DoubleAdder();
    final LongAdder recallCounted = new LongAdder();
  }
}
