package dev.pulse.agent.hikari;

import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.jdbc.PoolRegistry;
import dev.pulse.log.PulseLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The running HikariCP pools, keyed by the {@link DataSourceKey} of the pool's config, which for a
 * pool built through a HikariDataSource is that data source: the object resizes go through and
 * borrows are made from. A pool is held from its start to its shutdown, never after.
 */
public final class HikariPools {
  private static final PulseLog LOG = PulseLog.forComponent("hikari");

  private final Function<Object, DataSourceKey> keys;
  private final PoolRegistry registry;
  private final ConcurrentMap<DataSourceKey, HikariPoolHandle> byKey = new ConcurrentHashMap<>();

  public HikariPools(Function<Object, DataSourceKey> keys, PoolRegistry registry) {
    this.keys = keys;
    this.registry = registry;
  }

  /** The pools still open; a pool closed without its shutdown being seen is forgotten here. */
  public List<HikariPoolHandle> all() {
    List<HikariPoolHandle> open = new ArrayList<>(byKey.size());
    for (HikariPoolHandle pool : byKey.values()) {
      if (pool.isClosed()) {
        forget(pool);
      } else {
        open.add(pool);
      }
    }
    return open;
  }

  /** The open pool of this name, or null. */
  public HikariPoolHandle byName(String name) {
    for (HikariPoolHandle pool : byKey.values()) {
      if (pool.name().equals(name)) {
        return pool;
      }
    }
    return null;
  }

  /** The pool whose config (or data source) this is, or null when it is not a running pool. */
  public HikariPoolHandle byConfig(Object config) {
    return byKey.get(keys.apply(config));
  }

  /**
   * Registers a pool; returns its handle when it is new, null when it was known or cannot be
   * followed. Reads a few getters and does no I/O, so the pool's own thread may call it.
   */
  public HikariPoolHandle register(Object pool, Object config) {
    DataSourceKey key = keys.apply(config);
    // known: the housekeeper's every run; closed: a last top-up racing the pool's shutdown
    if (byKey.containsKey(key) || HikariPoolHandle.isClosed(config)) {
      return null;
    }
    try {
      HikariPoolHandle handle = new HikariPoolHandle(config, pool, key, registry.metricsFor(key));
      return byKey.putIfAbsent(key, handle) == null ? handle : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("cannot follow the HikariCP pool of " + config.getClass().getName(), e);
      return null;
    }
  }

  /** A HikariDataSource seen at a borrow: registers its pool, if it has one and is new. */
  public HikariPoolHandle registerDataSource(Object dataSource) {
    if (byConfig(dataSource) != null) {
      return null;
    }
    try {
      Object pool = dataSource.getClass().getMethod("getHikariPoolMXBean").invoke(dataSource);
      return pool == null ? null : register(pool, dataSource);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // not a HikariDataSource after all
    }
  }

  /** The pool of this config shut down: its handle, forgotten now, or null when it was not known. */
  public HikariPoolHandle closed(Object config) {
    HikariPoolHandle pool = byConfig(config);
    return pool != null && forget(pool) ? pool : null;
  }

  private boolean forget(HikariPoolHandle pool) {
    if (!byKey.remove(pool.key(), pool)) {
      return false;
    }
    registry.remove(pool.key());
    LOG.info("HikariCP pool " + pool.name() + " was closed");
    return true;
  }

  /**
   * A connection of the agent's own to the database of the named pool (for exact re-runs), or
   * null when there is no such pool or it cannot be opened.
   */
  public java.sql.Connection openSeparateConnection(String name) {
    return openSeparateConnection(name, "pulse-recall");
  }

  /** The same, named {@code applicationName} on the server (pg_stat_activity says whose it is). */
  public java.sql.Connection openSeparateConnection(String name, String applicationName) {
    HikariPoolHandle pool = byName(name);
    if (pool == null) {
      return null;
    }
    try {
      return pool.openSeparateConnection(applicationName);
    } catch (Exception e) {
      LOG.warn(applicationName + " for pool " + name + " is off: cannot open a connection of the"
          + " agent's own (" + e.getMessage() + ")");
      return null;
    }
  }

  /**
   * A failed borrow's context: the figures of the pool behind {@code source}, read now (on the
   * failing thread: a few reads) and put in words when asked (on the firewall's thread); null when
   * it is not a HikariCP pool.
   */
  public Supplier<Map<String, Object>> borrowContext(DataSourceKey source) {
    HikariPoolHandle pool = byKey.get(source);
    if (pool == null) {
      return null;
    }
    PoolState now = pool.state();
    return () -> {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("pool_name", pool.name());
      figures.put("maximum_pool_size", now.maximum);
      figures.put("pool_size", now.total);
      figures.put("active_connections", now.active);
      figures.put("idle_connections", now.idle);
      figures.put("threads_awaiting", now.waiting);
      return figures;
    };
  }
}
