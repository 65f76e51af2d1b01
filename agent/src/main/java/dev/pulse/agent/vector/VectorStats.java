package dev.pulse.agent.vector;

import dev.pulse.agent.jdbc.LogLinearTimes;
import java.util.concurrent.atomic.LongAdder;

/**
 * One collection's exact search figures since start: written on the application's threads with a
 * few uncontended atomic adds (no lock), read by any agent thread as {@link Totals}; the figures of
 * an interval are the difference of two of them, so each reader (vector_stats, a series of its own)
 * keeps its own previous totals. Also holds the collection's {@link EventRate}, so one map lookup
 * serves both.
 */
public final class VectorStats {
  /** The collection (table), or null for searches whose table is not known. */
  public final String collection;
  final EventRate rate;
  private final LogLinearTimes times = new LogLinearTimes();
  private final LongAdder rows = new LongAdder();
  private final LongAdder rowsKnown = new LongAdder();
  private final LongAdder shortResults = new LongAdder();
  private final LongAdder events = new LongAdder();
  /** Totals of nothing, as of when the collection was first searched. */
  private final Totals none;
  /** The recall shape of a recent search, for the collection's recall estimate. */
  volatile String latestShape;

  VectorStats(String collection, int eventsPerSecond) {
    this.collection = collection;
    this.rate = new EventRate(eventsPerSecond);
    this.none = new Totals(new long[LogLinearTimes.BUCKETS], 0, 0, 0, 0, System.nanoTime());
  }

  /**
   * On the application's thread: one search; {@code rowCount} and {@code k} below 0 when unknown;
   * {@code eventSent} when it has its own search_completed. The event is counted before the search,
   * and {@link #totals()} reads in the other order, so totals never hold a search without its event.
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

  /** Totals of nothing, as of when the collection was first searched: a reader's first baseline. */
  public Totals atStart() {
    return none;
  }

  /** The figures since start, as of now (any thread). */
  public Totals totals() {
    long[] nowTimes = times.snapshot();
    return new Totals(nowTimes, rows.sum(), rowsKnown.sum(), shortResults.sum(), events.sum(),
        System.nanoTime());
  }

  /** A collection's figures since start, at one moment. */
  public static final class Totals {
    private final long[] times;
    private final long searches;
    private final long rows;
    private final long rowsKnown;
    private final long shortResults;
    private final long events;
    private final long nanos;

    Totals(long[] times, long rows, long rowsKnown, long shortResults, long events, long nanos) {
      this.times = times;
      long sum = 0;
      for (long count : times) {
        sum += count;
      }
      this.searches = sum;
      this.rows = rows;
      this.rowsKnown = rowsKnown;
      this.shortResults = shortResults;
      this.events = events;
      this.nanos = nanos;
    }

    /** Searches since start, exactly. */
    public long searches() {
      return searches;
    }

    /** The figures between {@code earlier} and these. */
    public Interval since(Totals earlier) {
      return new Interval(searches - earlier.searches, searches, (nanos - earlier.nanos) / 1_000_000,
          earlier.times, times, rows - earlier.rows, rowsKnown - earlier.rowsKnown,
          shortResults - earlier.shortResults, events - earlier.events);
    }
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

    Interval(long searches, long searchesTotal, long millis, long[] earlierTimes, long[] laterTimes,
        long rows, long rowsKnown, long shortResults, long events) {
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
      return LogLinearTimes.quantileMillis(earlierTimes, laterTimes, quantile);
    }

    /** Mean rows per search, or null when no row count is known. */
    public Double rowsMean() {
      return rowsKnown == 0 ? null : Math.round(rows * 1000.0 / rowsKnown) / 1000.0;
    }
  }
}
