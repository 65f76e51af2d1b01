package dev.pulse.agent.series;

import dev.pulse.agent.hikari.HikariPoolHandle;
import dev.pulse.agent.hikari.PoolState;
import dev.pulse.agent.jdbc.PoolMetrics;
import dev.pulse.agent.jdbc.WaitHistogram;
import dev.pulse.broadcaster.SeriesSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps the last 15 minutes of per-second figures of every pool and every searched collection,
 * sampled once a second by the agent's scheduler while there is something to sample, and hands
 * them to a client that asks ({@code {"action":"series"}}). One sample stands for the seconds
 * since the previous one, so a late run leaves no hole; seconds when nothing ran are gaps. The
 * scheduler writes and the broadcaster's thread reads under this object's lock, which each holds
 * for a copy at most.
 */
public final class SeriesKeeper implements Runnable, SeriesSource {
  static final int MAX_POOLS = 64;
  /** A sample later than this after the previous one stands for its own second only. */
  static final long MAX_FILL_MILLIS = 10_000;

  private final Supplier<List<HikariPoolHandle>> pools;
  private final CollectionTotals collections;
  private final LongSupplier clock;
  private final Map<String, PoolTrack> poolTracks = new LinkedHashMap<>();
  private final Map<String, CollectionTrack> collectionTracks = new LinkedHashMap<>();
  /** The newest second sampled, {@code Long.MIN_VALUE} before the first run. */
  private long newestSecond = Long.MIN_VALUE;

  public SeriesKeeper(Supplier<List<HikariPoolHandle>> pools, CollectionTotals collections) {
    this(pools, collections, System::currentTimeMillis);
  }

  SeriesKeeper(Supplier<List<HikariPoolHandle>> pools, CollectionTotals collections,
      LongSupplier clock) {
    this.pools = pools;
    this.collections = collections;
    this.clock = clock;
  }

  /** Whether a run has something to sample: a pool, or a collection still within the span. */
  public boolean hasWork() {
    return !pools.get().isEmpty() || !collections.isEmpty();
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
      for (Map.Entry<String, CollectionTotals.Tally> entry : collections.tallies().entrySet()) {
        CollectionTrack track = collectionTracks.computeIfAbsent(entry.getKey(), CollectionTrack::new);
        track.sample(entry.getValue(), now, second);
      }
      forgetTheLongGone(second);
      newestSecond = second;
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
        // a search racing with this is lost: it was the first in 15 minutes
        collections.forget(track.name);
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
        values[4] = (float) (executed * 1000.0 / Math.max(1, now - previousMillis));
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
    final String name;
    final Series series;
    final float[] values = new float[Figures.COLLECTION.count()];
    long previousMillis = Long.MIN_VALUE;
    long lastSearchSecond;
    long searches;
    long[] times = new long[WaitHistogram.BUCKETS];
    long rows;
    long rowCounted;
    double recall;
    long recallCounted;

    CollectionTrack(String name) {
      this.name = name;
      this.series = new Series(Figures.COLLECTION, name);
    }

    void sample(CollectionTotals.Tally tally, long now, long second) {
      long searchesNow = tally.searches.sum();
      long[] timesNow = tally.times.snapshot();
      long rowsNow = tally.rows.sum();
      long rowCountedNow = tally.rowCounted.sum();
      double recallNow = tally.recall.sum();
      long recallCountedNow = tally.recallCounted.sum();
      long first = firstCovered(previousMillis, now, second);
      // the first reading covers everything since the collection was first seen, a second ago at most
      long elapsed = previousMillis == Long.MIN_VALUE ? 1000 : Math.max(1, now - previousMillis);
      long searched = searchesNow - searches;
      boolean timed = searched > 0;
      values[0] = (float) (searched * 1000.0 / elapsed);
      values[1] = timed ? (float) WaitHistogram.quantileMillis(times, timesNow, 0.50) : Float.NaN;
      values[2] = timed ? (float) WaitHistogram.quantileMillis(times, timesNow, 0.99) : Float.NaN;
      values[3] = rowCountedNow > rowCounted
          ? (float) ((double) (rowsNow - rows) / (rowCountedNow - rowCounted)) : Float.NaN;
      values[4] = recallCountedNow > recallCounted
          ? (float) ((recallNow - recall) / (recallCountedNow - recallCounted)) : Float.NaN;
      series.put(first, second, values);
      if (searched > 0 || previousMillis == Long.MIN_VALUE) {
        lastSearchSecond = second;
      }
      previousMillis = now;
      searches = searchesNow;
      times = timesNow;
      rows = rowsNow;
      rowCounted = rowCountedNow;
      recall = recallNow;
      recallCounted = recallCountedNow;
    }
  }
}
