package dev.pulse.agent.autoscale;

import dev.pulse.agent.hikari.HikariPoolHandle;
import dev.pulse.agent.hikari.PoolListener;
import dev.pulse.agent.hikari.PoolState;
import dev.pulse.agent.hikari.ResizeReporter;
import dev.pulse.agent.hikari.ServerSettingsListener;
import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.JdbcListener;
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
 * Runs each pool's {@link PoolSizer} every interval, and at once when a borrow waited long (a step
 * in load is met within milliseconds, not at the next interval), and carries out its decisions:
 * raising the maximum (HikariCP adds connections as borrowers need them), or lowering minimum
 * idle, then the maximum, then closing the surplus idle connections, since a lower maximum alone
 * closes nothing.
 */
public final class AutoscaleLoop implements Runnable, PoolListener, ServerSettingsListener,
    JdbcListener {
  private static final PulseLog LOG = PulseLog.forComponent("autoscale");
  /** Statement time is judged over this many recent seconds. */
  private static final int LATENCY_WINDOW_SECONDS = 3;
  /** Least time between two samples a slow borrow asks for: a crowd of them asks once. */
  private static final long NUDGE_GAP_NANOS = 100_000_000L;

  private final SizerLimits limits;
  private final SizeBound floor;
  private final SizeBound ceiling;
  private final int headroomPercent;
  private final Set<String> poolsOff;
  private final long nudgeWaitNanos;
  private final Executor sizerThread;
  private final Executor drainer;
  private final Map<DataSourceKey, SizedPool> sized = new ConcurrentHashMap<>();
  private final Map<HikariPoolHandle, Integer> serverLimits = new ConcurrentHashMap<>();

  /**
   * @param nudgeWaitNanos a borrow that waited this long samples its pool at once
   * @param sizerThread the thread {@link #run()} runs on, for those samples: one pool's sizer is
   *     never called from two threads
   */
  public AutoscaleLoop(SizerLimits limits, SizeBound floor, SizeBound ceiling, int headroomPercent,
      Set<String> poolsOff, long nudgeWaitNanos, Executor sizerThread, Executor drainer) {
    this.limits = limits;
    this.floor = floor;
    this.ceiling = ceiling;
    this.headroomPercent = headroomPercent;
    this.poolsOff = poolsOff;
    this.nudgeWaitNanos = nudgeWaitNanos;
    this.sizerThread = sizerThread;
    this.drainer = drainer;
  }

  /** Starts sizing a newly found pool. */
  @Override
  public void poolFound(HikariPoolHandle pool) {
    if (poolsOff.contains(pool.name())) {
      LOG.info("sizer off for pool " + pool.name() + " (autoscale.off)");
      return;
    }
    sized.put(pool.key(), new SizedPool(pool, new PoolSizer(limits),
        new DemandMeter(pool.metrics(), System.nanoTime())));
  }

  @Override
  public void poolClosed(HikariPoolHandle pool) {
    sized.remove(pool.key());
    serverLimits.remove(pool);
  }

  /**
   * On the application's thread, after a borrow: one comparison, unless it waited long; then,
   * at most every 100 ms per pool, a sample is handed to the sizer's thread.
   */
  @Override
  public void connectionAcquired(DataSourceKey source, long waitNanos, long endNanos,
      Throwable failure) {
    if (waitNanos < nudgeWaitNanos) {
      return;
    }
    SizedPool pool = sized.get(source);
    if (pool == null || endNanos - pool.lastNudgeNanos < NUDGE_GAP_NANOS) {
      return;
    }
    pool.lastNudgeNanos = endNanos;
    sizerThread.execute(() -> size(pool));
  }

  @Override
  public void run() {
    for (SizedPool pool : sized.values()) {
      size(pool);
    }
  }

  private void size(SizedPool sizedPool) {
    HikariPoolHandle pool = sizedPool.handle;
    if (sized.get(pool.key()) != sizedPool) {
      return; // closed (and perhaps found again) since this sample was asked for
    }
    if (pool.isClosed()) {
      poolClosed(pool);
      return;
    }
    long nowNanos = System.nanoTime();
    try {
      RollingWindow.Snapshot recent = pool.metrics().statements(nowNanos, LATENCY_WINDOW_SECONDS);
      PoolState figures = pool.state();
      DemandMeter meter = sizedPool.meter;
      meter.read(pool.metrics(), nowNanos);
      PoolSample sample = new PoolSample(System.currentTimeMillis(), figures.maximum,
          figures.total, figures.active, figures.waiting, meter.meanWaiting(),
          meter.meanRunning(), recent.count == 0 ? Double.NaN : recent.meanMillis(),
          Outages.unreachableCause(pool.metrics(), figures, nowNanos,
              2_000_000_000L + LATENCY_WINDOW_SECONDS * 1_000_000_000L));
      int low = floor.resolve(pool.configuredSize());
      int high = Math.max(low, effectiveCeiling(pool));
      SizeDecision decision = sizedPool.sizer.next(sample, low, high);
      if (decision.isResize()) {
        apply(pool, sample.maximum, decision);
      } else {
        LOG.debug(pool.name() + ": " + decision.reason());
      }
    } catch (Exception e) {
      LOG.warn("sizing pool " + pool.name() + " failed; it keeps its size", e);
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
    if (!sized.containsKey(pool.key())) {
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

  /** A pool being sized: its sizer, its demand meter, and when a slow borrow last asked. */
  private static final class SizedPool {
    final HikariPoolHandle handle;
    final PoolSizer sizer;
    final DemandMeter meter;
    volatile long lastNudgeNanos = System.nanoTime() - NUDGE_GAP_NANOS;

    SizedPool(HikariPoolHandle handle, PoolSizer sizer, DemandMeter meter) {
      this.handle = handle;
      this.sizer = sizer;
      this.meter = meter;
    }
  }
}
