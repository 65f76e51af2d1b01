package dev.pulse.agent.vector;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Keeps each collection's {@link VectorStats} and publishes vector_stats for every collection
 * searched since the last run: exact counts, time quantiles, rows and recall of the interval, kept
 * as the collection's latest state so a client that connects gets it at once. Runs while searches
 * happen: a run that finds none takes the task off the schedule (see {@link #wanted()}), and the
 * next search puts it back through {@code wake}, costing that search one volatile read otherwise.
 */
public final class VectorStatsPublisher implements Runnable {
  /** Collections followed one by one; searches of any further table are counted together. */
  static final int MAX_COLLECTIONS = 1000;
  private static final String UNNAMED = "";

  private final Consumer<Event> publisher;
  private final int eventsPerSecond;
  private final Runnable wake;
  final RecallEstimates recall;
  private final Map<String, VectorStats> byCollection = new ConcurrentHashMap<>();
  /** On the schedule (or about to be): false once a run found no search. */
  private final AtomicBoolean active = new AtomicBoolean();
  /** Each collection's totals at its last vector_stats (this task's thread only). */
  private final Map<VectorStats, VectorStats.Totals> published = new HashMap<>();

  /**
   * @param eventsPerSecond search_completed per collection and second above which they are sampled
   *     (0: never)
   * @param wake puts this task back on the schedule (any thread, never blocks)
   */
  VectorStatsPublisher(Consumer<Event> publisher, int eventsPerSecond, Runnable wake,
      RecallEstimates recall) {
    this.publisher = publisher;
    this.eventsPerSecond = eventsPerSecond;
    this.wake = wake;
    this.recall = recall;
  }

  /** On the application's thread: the figures of a collection (null: its table is not known). */
  VectorStats of(String collection) {
    String key = collection == null ? UNNAMED : collection;
    VectorStats stats = byCollection.get(key);
    if (stats != null) {
      return stats;
    }
    if (byCollection.size() >= MAX_COLLECTIONS) {
      key = UNNAMED;
    }
    return byCollection.computeIfAbsent(key,
        name -> new VectorStats(name.isEmpty() ? null : name, eventsPerSecond));
  }

  /** On the application's thread, after a search was recorded. */
  void searched() {
    if (!active.get() && active.compareAndSet(false, true)) {
      wake.run();
    }
  }

  /** True while searches happen; the schedule asks after each run. */
  public boolean wanted() {
    return active.get();
  }

  @Override
  public void run() {
    // Cleared before reading: a search recorded after a read finds it cleared and wakes the task.
    active.set(false);
    boolean any = false;
    for (VectorStats stats : collections()) {
      VectorStats.Totals now = stats.totals();
      VectorStats.Interval interval = now.since(published.getOrDefault(stats, stats.atStart()));
      if (interval.searches > 0) {
        published.put(stats, now);
        any = true;
        publisher.accept(Event.stateNow(Channel.VECTOR_SEARCH, "vector_stats",
            "vector_stats:" + (stats.collection == null ? "" : stats.collection),
            figures(stats, interval)));
      }
    }
    if (any) {
      active.set(true);
    }
  }

  /** Every collection's figures (any thread; each reader keeps its own previous totals). */
  public Collection<VectorStats> collections() {
    return byCollection.values();
  }

  /**
   * The collection's recall as measured now: the estimate of its latest search's shape, or null
   * while none is measured (any thread).
   */
  public Double recall(VectorStats stats) {
    return rounded(estimate(stats));
  }

  private static Double rounded(RecallEstimates.Estimate estimate) {
    return estimate == null ? null : Math.round(estimate.mean * 1000) / 1000.0;
  }

  private RecallEstimates.Estimate estimate(VectorStats stats) {
    String shape = stats.latestShape;
    return shape == null ? null : recall.get(shape);
  }

  private Map<String, Object> figures(VectorStats stats, VectorStats.Interval interval) {
    RecallEstimates.Estimate estimate = estimate(stats);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("collection", stats.collection);
    data.put("searches", interval.searches);
    data.put("searches_total", interval.searchesTotal);
    data.put("interval_ms", interval.millis);
    data.put("events", interval.events);
    data.put("search_time_p50_ms", interval.timeMillis(0.50));
    data.put("search_time_p95_ms", interval.timeMillis(0.95));
    data.put("search_time_p99_ms", interval.timeMillis(0.99));
    data.put("rows_mean", interval.rowsMean());
    data.put("short_results", interval.shortResults);
    data.put("recall_estimated", rounded(estimate));
    data.put("recall_samples", estimate == null ? 0 : estimate.samples);
    return data;
  }
}
