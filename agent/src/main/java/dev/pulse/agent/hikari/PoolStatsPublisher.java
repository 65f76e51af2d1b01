package dev.pulse.agent.hikari;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes pool_stats for every pool on a schedule. Each message is the pool's latest state, so a
 * client that subscribes later gets it at once. The wait percentiles cover the time since the
 * previous message of the same pool.
 */
public final class PoolStatsPublisher implements Runnable, PoolListener {
  private final HikariPools pools;
  private final Consumer<Event> publisher;
  private final PoolFigures figures;
  private final Map<String, long[]> previousWaits = new ConcurrentHashMap<>();

  public PoolStatsPublisher(HikariPools pools, Consumer<Event> publisher, PoolFigures figures) {
    this.pools = pools;
    this.publisher = publisher;
    this.figures = figures;
  }

  @Override
  public void run() {
    for (HikariPoolHandle pool : pools.all()) {
      publish(pool);
    }
  }

  /** A client learns of a new pool at once, not at the next interval. */
  @Override
  public void poolFound(HikariPoolHandle pool) {
    publish(pool);
  }

  @Override
  public void poolClosed(HikariPoolHandle pool) {
    previousWaits.remove(pool.name());
  }

  private void publish(HikariPoolHandle pool) {
    long[] now = pool.metrics().waitHistogram();
    long[] before = previousWaits.getOrDefault(pool.name(), new long[now.length]);
    previousWaits.put(pool.name(), now);
    publisher.accept(Event.stateNow(Channel.DB_POOL_STATS, "pool_stats", pool.name(),
        figures.read(pool, pool.state(), before, now)));
  }
}
