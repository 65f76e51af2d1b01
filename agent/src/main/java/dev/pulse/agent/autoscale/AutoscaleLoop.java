package dev.pulse.agent.autoscale;

import dev.pulse.agent.hikari.HikariPoolHandle;
import dev.pulse.agent.hikari.PoolListener;
import dev.pulse.agent.hikari.PoolState;
import dev.pulse.agent.hikari.ServerSettingsListener;
import dev.pulse.agent.hikari.ResizeReporter;
import dev.pulse.agent.jdbc.RollingWindow;
import dev.pulse.log.PulseLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Runs each pool's {@link PoolSizer} every interval and carries out its decisions: raising the
 * maximum (HikariCP adds connections as borrowers need them), or lowering minimum idle, then the
 * maximum, then closing the surplus idle connections, since a lower maximum alone closes nothing.
 */
public final class AutoscaleLoop implements Runnable, PoolListener, ServerSettingsListener {
  private static final PulseLog LOG = PulseLog.forComponent("autoscale");
  /** Statement time is judged over this many recent seconds. */
  private static final int LATENCY_WINDOW_SECONDS = 3;

  private final SizerLimits limits;
  private final SizeBound floor;
  private final SizeBound ceiling;
  private final int headroomPercent;
  private final Set<String> poolsOff;
  private final Executor drainer;
  private final Map<HikariPoolHandle, PoolSizer> sizers = new ConcurrentHashMap<>();
  private final Map<HikariPoolHandle, Integer> serverLimits = new ConcurrentHashMap<>();

  public AutoscaleLoop(SizerLimits limits, SizeBound floor, SizeBound ceiling, int headroomPercent,
      Set<String> poolsOff, Executor drainer) {
    this.limits = limits;
    this.floor = floor;
    this.ceiling = ceiling;
    this.headroomPercent = headroomPercent;
    this.poolsOff = poolsOff;
    this.drainer = drainer;
  }

  /** Starts sizing a newly found pool. */
  @Override
  public void poolFound(HikariPoolHandle pool) {
    if (poolsOff.contains(pool.name())) {
      LOG.info("sizer off for pool " + pool.name() + " (autoscale.off)");
      return;
    }
    sizers.put(pool, new PoolSizer(limits));
  }

  @Override
  public void poolClosed(HikariPoolHandle pool) {
    sizers.remove(pool);
    serverLimits.remove(pool);
  }

  @Override
  public void run() {
    long nowMillis = System.currentTimeMillis();
    long nowNanos = System.nanoTime();
    for (Map.Entry<HikariPoolHandle, PoolSizer> entry : sizers.entrySet()) {
      HikariPoolHandle pool = entry.getKey();
      if (pool.isClosed()) {
        poolClosed(pool);
        continue;
      }
      try {
        RollingWindow.Snapshot recent = pool.metrics().statements(nowNanos, LATENCY_WINDOW_SECONDS);
        PoolState figures = pool.state();
        PoolSample sample = new PoolSample(nowMillis, figures.maximum, figures.active,
            figures.waiting, recent.count == 0 ? Double.NaN : recent.meanMillis(),
            Outages.unreachableCause(pool.metrics(), figures, nowNanos,
                2_000_000_000L + LATENCY_WINDOW_SECONDS * 1_000_000_000L));
        int low = floor.resolve(pool.configuredSize());
        int high = Math.max(low, effectiveCeiling(pool));
        SizeDecision decision = entry.getValue().next(sample, low, high);
        if (decision.isResize()) {
          apply(pool, sample.maximum, decision);
        } else {
          LOG.debug(pool.name() + ": " + decision.reason());
        }
      } catch (Exception e) {
        LOG.warn("sizing pool " + pool.name() + " failed; it keeps its size", e);
      }
    }
  }

  private int effectiveCeiling(HikariPoolHandle pool) {
    int configured = ceiling.resolve(pool.configuredSize());
    Integer server = serverLimits.get(pool);
    return server == null ? configured
        : Math.min(configured, Math.max(1, server * (100 - headroomPercent) / 100));
  }

  private void apply(HikariPoolHandle pool, int oldSize, SizeDecision decision)
      throws ReflectiveOperationException {
    int newSize = decision.newSize();
    if (newSize < oldSize) {
      // Minimum idle first: a minimum above the maximum would keep the surplus open.
      int minimumIdle = Math.min(pool.configuredMinimumIdle(), newSize);
      if (pool.state().minimumIdle != minimumIdle) {
        pool.setMinimumIdle(minimumIdle);
      }
    }
    ResizeReporter.resizeAsAgent(decision.reason(), () -> pool.setMaximumSize(newSize));
    LOG.info("pool " + pool.name() + ": " + oldSize + " -> " + newSize + " (" + decision.reason() + ")");
    int surplus = pool.state().total - newSize;
    if (surplus > 0) {
      drainer.execute(() -> pool.closeIdle(surplus, 100));
    }
  }

  /**
   * Reads the server's connection limit on {@code connection}, a PostgreSQL connection of the
   * agent's own (never one of the pool's), so the sizer never grows past it.
   */
  @Override
  public void serverSettings(HikariPoolHandle pool, Connection connection) {
    if (!sizers.containsKey(pool)) {
      return;
    }
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("select current_setting('max_connections')::int"
            + " - current_setting('superuser_reserved_connections')::int")) {
      if (rs.next()) {
        int limit = rs.getInt(1);
        serverLimits.put(pool, limit);
        LOG.info("pool " + pool.name() + ": the server accepts " + limit + " connections; the"
            + " sizer keeps " + headroomPercent + "% of them free");
      }
    } catch (SQLException e) {
      LOG.debug("cannot read the server's connection limit for " + pool.name(), e);
    }
  }
}
