package dev.pulse.agent.hikari;

import dev.pulse.agent.jdbc.PoolRegistry;
import dev.pulse.agent.jdbc.PoolRegistry.IdentityKey;
import dev.pulse.log.PulseLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The running HikariCP pools, found as they start (the pool's constructor) or, when the agent came
 * later, at their first borrow or their housekeeper's next run, whichever comes first. Keyed by
 * the identity of the pool's config, which for a pool built through a HikariDataSource is that
 * data source: the object resizes go through.
 */
public final class HikariPools {
  private static final PulseLog LOG = PulseLog.forComponent("hikari");

  private final PoolRegistry registry;
  private final ConcurrentMap<IdentityKey, HikariPoolHandle> byConfig = new ConcurrentHashMap<>();

  public HikariPools(PoolRegistry registry) {
    this.registry = registry;
  }

  /** The pools still open; pools the application closed are forgotten here. */
  public List<HikariPoolHandle> all() {
    List<HikariPoolHandle> open = new ArrayList<>(byConfig.size());
    for (HikariPoolHandle pool : byConfig.values()) {
      if (pool.isClosed()) {
        byConfig.remove(new IdentityKey(pool.config()));
        registry.remove(pool.config());
        LOG.info("HikariCP pool " + pool.name() + " was closed");
      } else {
        open.add(pool);
      }
    }
    return open;
  }

  /** The open pool of this name, or null. */
  public HikariPoolHandle byName(String name) {
    for (HikariPoolHandle pool : byConfig.values()) {
      if (pool.name().equals(name)) {
        return pool;
      }
    }
    return null;
  }

  /** The pool whose config (or data source) this is, or null when it is not a running pool. */
  public HikariPoolHandle byConfig(Object config) {
    return byConfig.get(new IdentityKey(config));
  }

  /**
   * Registers a pool; returns its handle when it is new, null when it was known or cannot be
   * followed. Reads a few getters and does no I/O, so the pool's own thread may call it.
   */
  public HikariPoolHandle register(Object pool, Object config) {
    // known: the housekeeper's every run; closed: a last top-up racing the pool's shutdown
    if (byConfig(config) != null || HikariPoolHandle.isClosed(config)) {
      return null;
    }
    try {
      HikariPoolHandle handle = new HikariPoolHandle(config, pool, registry.metricsFor(config));
      return byConfig.putIfAbsent(new IdentityKey(config), handle) == null ? handle : null;
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
}
