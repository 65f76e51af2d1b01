package dev.pulse.agent.hikari;

import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.HikariListener;
import dev.pulse.agent.instrumentation.JdbcListener;
import dev.pulse.log.PulseLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Finds HikariCP pools as they start (the pool's constructor) or, when the agent came later, at
 * their first borrow or their housekeeper's next run, whichever comes first; lets go of them at
 * shutdown. The features that follow pools hear of it on the agent's executor.
 */
public final class PoolDiscovery implements JdbcListener, HikariListener {
  private static final PulseLog LOG = PulseLog.forComponent("hikari");
  private static final String HIKARI_DATA_SOURCE = "com.zaxxer.hikari.HikariDataSource";

  private final HikariPools pools;
  private final Executor executor;
  private final List<PoolListener> listeners = new CopyOnWriteArrayList<>();

  public PoolDiscovery(HikariPools pools, Executor executor) {
    this.pools = pools;
    this.executor = executor;
  }

  public void add(PoolListener listener) {
    listeners.add(listener);
  }

  @Override
  public void poolSeen(Object pool, Object config) {
    found(pools.register(pool, config));
  }

  /** A pool that started before the agent was installed is found at its first borrow. */
  @Override
  public void dataSourceSeen(DataSourceKey source, Object dataSource) {
    if (isHikariDataSource(dataSource.getClass())) {
      found(pools.registerDataSource(dataSource));
    }
  }

  @Override
  public void poolClosed(Object pool, Object config) {
    HikariPoolHandle closed = pools.closed(config);
    if (closed != null) {
      executor.execute(() -> {
        for (PoolListener listener : listeners) {
          listener.poolClosed(closed);
        }
      });
    }
  }

  private void found(HikariPoolHandle pool) {
    if (pool == null) {
      return;
    }
    executor.execute(() -> {
      LOG.info("found HikariCP pool " + pool.name() + " (maximum " + pool.configuredSize()
          + ", minimum idle " + pool.configuredMinimumIdle() + ")");
      for (PoolListener listener : listeners) {
        listener.poolFound(pool);
      }
    });
  }

  private static boolean isHikariDataSource(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(HIKARI_DATA_SOURCE)) {
        return true;
      }
    }
    return false;
  }
}
