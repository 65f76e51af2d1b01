package dev.pulse.agent.series;

import dev.pulse.agent.hikari.HikariPoolHandle;
import dev.pulse.agent.hikari.PoolState;
import dev.pulse.agent.jdbc.PoolMetrics;
import dev.pulse.agent.jdbc.WaitHistogram;
import dev.pulse.agent.vector.VectorStats;
import dev.pulse.agent.vector.VectorStatsPublisher;
import dev.pulse.broadcaster.SeriesSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps the last 15 minutes of per-second figures of every pool and every searched collection,
 * sampled once a second by the agent's scheduler while there is something to sample, and hands
 * them to a client that asks ({@code {"action":"series"}}). One sample stands for the seconds
 * since the previous one, so a late run leaves no hole; seconds when nothing ran are gaps. A
 * collection's figures are the differences of its {@link VectorStats} totals, which count every
 * search (sampled out of the stream or not). The scheduler writes and the broadcaster's series
 * thread reads under this object's lock, which each holds for a copy at most.
 */
public final class SeriesKeeper implements Runnable, SeriesSource {
  static final int MAX_POOLS = 64;
  static final int MAX_COLLECTIONS = 100;
  /** A sample later than this after the previous one stands for its own second only. */
  static final long MAX_FILL_MILLIS = 10_000;

  private final Supplier<List<HikariPoolHandle>> pools;
  /** Null when vector searches are not followed. */
  private final VectorStatsPublisher searches;
  private final LongSupplier clock;
  private final Map<String, PoolTrack> poolTracks = new LinkedHashMap<>();
  private final Map<VectorStats, CollectionTrack> collectionTracks = new LinkedHashMap<>();
  /** Collections once followed and then forgotten, whose totals no longer start from nothing. */
  private final Set<VectorStats> forgotten = new HashSet<>();
  /** The newest second sampled, {@code Long.MIN_VALUE} before the first run. */
  private long newestSecond = Long.MIN_VALUE;

  /** @param searches the collections' figures, or null when vector searches are not followed */
  public SeriesKeeper(Supplier<List<HikariPoolHandle>> pools, VectorStatsPublisher searches) {
    this(pools, searches, System::currentTimeMillis);
  }

  SeriesKeeper(Supplier<List<HikariPoolHandle>> pools, VectorStatsPublisher searches,
      LongSupplier clock) {
    this.pools = pools;
    this.searches = searches;
    this.clock = clock;
  }

  /**
   * Whether a run has something to sample: a pool, a collection still within the span, or searches
   * happening (the first search after a quiet spell reviews the schedule, see
   * {@link VectorStatsPublisher#wanted()}).
   */
  public boolean hasWork() {
    if (!pools.get().isEmpty() || (searches != null && searches.wanted())) {
      return true;
    }
    synchronized (this) {
      return !collectionTracks.isEmpty();
    }
  }

  @Override
  public void run() {
    long now = clock.getAsLong();
    long second = Math.floorDiv(now, 1000);
    synchronized (this) {
      if (second <= newestSecond) {
        return; // two runs in one second: the next covers both
      }
      for (HikariPoolHandle pool : pools.get()) {
        PoolTrack track = poolTracks.get(pool.name());
        if (track == null && poolTracks.size() < MAX_POOLS) {
          track = new PoolTrack(pool.name());
          poolTracks.put(pool.name(), track);
        }
        if (track != null) {
          track.sample(pool, now, second);
        }
      }
      if (searches != null) {
        sampleCollections(now, second);
      }
      forgetTheLongGone(second);
      newestSecond = second;
    }
  }

  private void sampleCollections(long now, long second) {
    for (VectorStats stats : searches.collections()) {
      CollectionTrack track = collectionTracks.get(stats);
      if (track == null) {
        if (stats.collection == null || collectionTracks.size() >= MAX_COLLECTIONS) {
          continue; // searches of unknown tables have no series
        }
        // a collection searched again after being forgotten starts from its totals of now
        track = new CollectionTrack(stats, forgotten.remove(stats) ? stats.totals() : null);
        collectionTracks.put(stats, track);
      }
      track.sample(searches.recall(stats), now, second);
    }
  }

  /** Series with nothing left in the span: closed pools, collections no longer searched. */
  private void forgetTheLongGone(long second) {
    for (Iterator<PoolTrack> it = poolTracks.values().iterator(); it.hasNext(); ) {
      if (second - it.next().series.newest() >= SecondRing.SECONDS) {
        it.remove();
      }
    }
    for (Iterator<CollectionTrack> it = collectionTracks.values().iterator(); it.hasNext(); ) {
      CollectionTrack track = it.next();
      if (second - track.lastSearchSecond >= SecondRing.SECONDS) {
        it.remove();
        forgotten.add(track.stats);
      }
    }
  }

  @Override
  public List<Map<String, ?>> series(int minutes) {
    List<Map<String, ?>> all = new ArrayList<>();
    synchronized (this) {
      if (newestSecond == Long.MIN_VALUE) {
        return all;
      }
      long first = newestSecond - Math.min(minutes * 60L, SecondRing.SECONDS) + 1;
      for (PoolTrack track : poolTracks.values()) {
        add(all, track.series.describe(first, newestSecond));
      }
      for (CollectionTrack track : collectionTracks.values()) {
        add(all, track.series.describe(first, newestSecond));
      }
    }
    return all;
  }

  private static void add(List<Map<String, ?>> all, Map<String, ?> described) {
    if (described != null) {
      all.add(described);
    }
  }

  /** The bytes of every ring's arrays now held. */
  synchronized long arrayBytes() {
    long bytes = 0;
    for (PoolTrack track : poolTracks.values()) {
      bytes += track.series.arrayBytes();
    }
    for (CollectionTrack track : collectionTracks.values()) {
      bytes += track.series.arrayBytes();
    }
    return bytes;
  }

  /** The first second a sample at {@code now} stands for, given the previous sample's time. */
  static long firstCovered(long previousMillis, long now, long second) {
    if (previousMillis == Long.MIN_VALUE || now - previousMillis > MAX_FILL_MILLIS) {
      return second;
    }
    return Math.min(second, Math.floorDiv(previousMillis, 1000) + 1);
  }

  /**
   * A count as the per-second figure of the seconds a sample stands for: spread evenly over them
   * while samples follow one another, so a series' seconds add up to what was counted (a rate over
   * the sample's own span would count a run 1.07 s after the previous one, which covers two
   * seconds, almost twice); a rate over the span when the sample stands for its own second only,
   * after a long pause.
   */
  static float perSecond(long count, long previousMillis, long now, long firstSecond,
      long second) {
    if (previousMillis != Long.MIN_VALUE && now - previousMillis > MAX_FILL_MILLIS) {
      return (float) (count * 1000.0 / (now - previousMillis));
    }
    return (float) count / (second - firstSecond + 1);
  }

  /** A pool's series and the totals its previous sample read. */
  private static final class PoolTrack {
    final Series series;
    final float[] values = new float[Figures.POOL.count()];
    long previousMillis = Long.MIN_VALUE;
    long statements;
    long statementNanos;
    long[] waits;

    PoolTrack(String name) {
      series = new Series(Figures.POOL, name);
    }

    void sample(HikariPoolHandle pool, long now, long second) {
      PoolState snapshot = pool.state();
      PoolMetrics metrics = pool.metrics();
      long statementsNow = metrics.totalStatements();
      long nanosNow = metrics.statementNanos();
      long[] waitsNow = metrics.waitHistogram();
      values[0] = snapshot.maximum;
      values[1] = snapshot.total;
      values[2] = snapshot.active;
      values[3] = snapshot.waiting;
      long first = firstCovered(previousMillis, now, second);
      if (previousMillis == Long.MIN_VALUE || statementsNow < statements) {
        // no rate from a single reading, nor across a pool closed and opened again by that name
        values[4] = values[5] = values[6] = Float.NaN;
      } else {
        long executed = statementsNow - statements;
        values[4] = perSecond(executed, previousMillis, now, first, second);
        values[5] = executed == 0 ? Float.NaN : (float) ((nanosNow - statementNanos) / 1e6 / executed);
        values[6] = (float) WaitHistogram.quantileMillis(waits, waitsNow, 0.99);
      }
      series.put(first, second, values);
      previousMillis = now;
      statements = statementsNow;
      statementNanos = nanosNow;
      waits = waitsNow;
    }
  }

  /** A collection's series and the totals its previous sample read. */
  private static final class CollectionTrack {
    final VectorStats stats;
    final Series series;
    final float[] values = new float[Figures.COLLECTION.count()];
    long previousMillis = Long.MIN_VALUE;
    long lastSearchSecond;
    /** The totals the previous sample read: at first, those of nothing. */
    VectorStats.Totals previous;
    /** Its first sample only sets the baseline (a collection forgotten and searched again). */
    boolean baselineOnly;

    /** @param baseline the totals to count from, or null to count every search since its first */
    CollectionTrack(VectorStats stats, VectorStats.Totals baseline) {
      this.stats = stats;
      this.series = new Series(Figures.COLLECTION, stats.collection);
      this.previous = baseline == null ? stats.atStart() : baseline;
      this.baselineOnly = baseline != null;
    }

    void sample(Double recall, long now, long second) {
      VectorStats.Totals totals = stats.totals();
      VectorStats.Interval interval = totals.since(previous);
      long first = firstCovered(previousMillis, now, second);
      if (baselineOnly) {
        // its searches before this one are those of before it was forgotten: a gap, not a figure
        Arrays.fill(values, Float.NaN);
        baselineOnly = false;
      } else {
        // the first reading covers everything since the collection was first seen, a second ago at most
        boolean searched = interval.searches > 0;
        values[0] = perSecond(interval.searches, previousMillis, now, first, second);
        values[1] = searched ? interval.timeMillis(0.50).floatValue() : Float.NaN;
        values[2] = searched ? interval.timeMillis(0.99).floatValue() : Float.NaN;
        values[3] = interval.rowsKnown > 0 ? (float) ((double) interval.rows / interval.rowsKnown)
            : Float.NaN;
        values[4] = searched && recall != null ? recall.floatValue() : Float.NaN;
      }
      series.put(first, second, values);
      if (interval.searches > 0 || previousMillis == Long.MIN_VALUE) {
        lastSearchSecond = second;
      }
      previousMillis = now;
      previous = totals;
    }
  }
}
