package dev.pulse.agent.vector;

import java.util.concurrent.atomic.LongAdder;

/**
 * One collection's exact search figures: written on the application's threads with a few
 * uncontended atomic adds (no lock), read by one agent thread, which takes them an interval at a
 * time. Also holds the collection's {@link EventRate}, so one map lookup serves both.
 */
public final class VectorStats {
  /** The collection (table), or null for searches whose table is not known. */
  public final String collection;
  final EventRate rate;
  private final SearchTimes times = new SearchTimes();
  private final LongAdder rows = new LongAdder();
  private final LongAdder rowsKnown = new LongAdder();
  private final LongAdder shortResults = new LongAdder();
  private final LongAdder events = new LongAdder();
  /** The recall shape of a recent search, for the collection's recall estimate. */
  volatile String latestShape;

  // the reader's previous totals: touched only by the thread that calls take()
  private long[] previousTimes = new long[SearchTimes.BUCKETS];
  private long previousRows;
  private long previousRowsKnown;
  private long previousShort;
  private long previousEvents;
  private long total;
  private long previousNanos = System.nanoTime();

  VectorStats(String collection, int eventsPerSecond) {
    this.collection = collection;
    this.rate = new EventRate(eventsPerSecond);
  }

  /**
   * On the application's thread: one search; {@code rowCount} and {@code k} below 0 when unknown;
   * {@code eventSent} when it has its own search_completed. The event is counted before the search,
   * and {@link #take()} reads in the other order, so an interval never holds a search without its
   * event.
   */
  void record(long elapsedNanos, int rowCount, int k, boolean eventSent) {
    if (eventSent) {
      events.increment();
    }
    if (rowCount >= 0) {
      rows.add(rowCount);
      rowsKnown.increment();
      if (k > 0 && rowCount < k) {
        shortResults.increment();
      }
    }
    times.record(elapsedNanos);
  }

  /** The figures since the previous call (one reader thread only). */
  public Interval take() {
    long[] nowTimes = times.snapshot();
    long searches = 0;
    for (int i = 0; i < nowTimes.length; i++) {
      searches += nowTimes[i] - previousTimes[i];
    }
    long nowRows = rows.sum();
    long nowKnown = rowsKnown.sum();
    long nowShort = shortResults.sum();
    long nowEvents = events.sum();
    total += searches;
    long now = System.nanoTime();
    Interval interval = new Interval(searches, total, (now - previousNanos) / 1_000_000,
        previousTimes, nowTimes,
        nowRows - previousRows, nowKnown - previousRowsKnown, nowShort - previousShort,
        nowEvents - previousEvents);
    previousTimes = nowTimes;
    previousRows = nowRows;
    previousRowsKnown = nowKnown;
    previousShort = nowShort;
    previousEvents = nowEvents;
    previousNanos = now;
    return interval;
  }

  /** One interval of a collection's searches. */
  public static final class Interval {
    /** Searches in the interval, exactly, and since start. */
    public final long searches;
    public final long searchesTotal;
    /** How long the interval was, ms. */
    public final long millis;
    private final long[] earlierTimes;
    private final long[] laterTimes;
    /** Rows returned, over the searches whose row count is known. */
    public final long rows;
    public final long rowsKnown;
    /** Searches that returned fewer rows than k. */
    public final long shortResults;
    /** search_completed events sent for these searches. */
    public final long events;

    Interval(long searches, long searchesTotal, long millis, long[] earlierTimes, long[] laterTimes, long rows,
        long rowsKnown, long shortResults, long events) {
      this.searches = searches;
      this.searchesTotal = searchesTotal;
      this.millis = millis;
      this.earlierTimes = earlierTimes;
      this.laterTimes = laterTimes;
      this.rows = rows;
      this.rowsKnown = rowsKnown;
      this.shortResults = shortResults;
      this.events = events;
    }

    /** A quantile of the interval's search times in ms, or null without searches. */
    public Double timeMillis(double quantile) {
      return SearchTimes.quantileMillis(earlierTimes, laterTimes, quantile);
    }

    /** Mean rows per search, or null when no row count is known. */
    public Double rowsMean() {
      return rowsKnown == 0 ? null : Math.round(rows * 1000.0 / rowsKnown) / 1000.0;
    }
  }
}
