package dev.pulse.agent.jdbc;

import dev.pulse.agent.firewall.ErrorFirewall;
import dev.pulse.agent.hikari.HikariPoolHandle;
import dev.pulse.agent.hikari.HikariPools;
import dev.pulse.agent.hikari.ResizeReporter;
import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.JdbcEvents;
import dev.pulse.agent.vector.VectorSearchRecorder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Receives what the advice reports. The statement and borrow paths only count; anything that logs,
 * publishes or reads a pool is handed to the agent's executor.
 */
public final class AgentJdbcEvents implements JdbcEvents {
  private static final String HIKARI_DATA_SOURCE = "com.zaxxer.hikari.HikariDataSource";

  private final JdbcRecorder recorder;
  private final VectorSearchRecorder vectors;
  private final ErrorFirewall firewall;
  private final HikariPools pools;
  private final ResizeReporter resizes;
  private final Consumer<HikariPoolHandle> onPoolFound;
  private final Executor executor;

  /** {@code vectors} and {@code firewall} are null when those parts are off. */
  public AgentJdbcEvents(JdbcRecorder recorder, VectorSearchRecorder vectors, ErrorFirewall firewall,
      HikariPools pools, ResizeReporter resizes, Consumer<HikariPoolHandle> onPoolFound,
      Executor executor) {
    this.recorder = recorder;
    this.vectors = vectors;
    this.firewall = firewall;
    this.pools = pools;
    this.resizes = resizes;
    this.onPoolFound = onPoolFound;
    this.executor = executor;
  }

  @Override
  public void connectionAcquired(CallContext context, Object dataSource, Object connection,
      long waitNanos, Throwable failure) {
    PoolMetrics metrics = recorder.connectionAcquired(context, dataSource, connection, waitNanos, failure);
    if (firewall != null && failure != null) {
      // the pool's figures of this moment (a failed borrow already waited out its timeout; the
      // classification itself runs on the firewall's thread)
      Map<String, Object> figures = figuresOf(dataSource);
      firewall.acquireFailed(failure, metrics, metrics.name(), () -> figures);
    } else if (firewall != null) {
      firewall.acquireSucceeded(metrics, metrics.name());
    }
    if (metrics.claimPoolCheck() && isHikariDataSource(dataSource.getClass())) {
      // a pool that started before the agent was installed is found at its first borrow
      announce(pools.registerDataSource(dataSource));
    }
  }

  @Override
  public Object acquireGate(CallContext context, Object dataSource) {
    if (firewall == null || !firewall.anyGateClosed()) {
      return null;
    }
    PoolMetrics metrics = recorder.metricsFor(context, dataSource);
    return firewall.blockedAcquire(metrics, metrics.name());
  }

  @Override
  public void statementExecuted(CallContext context, Object statement, String sql, Object result,
      long elapsedNanos, Throwable failure) {
    PoolMetrics pool = recorder.statementExecuted(context, statement, elapsedNanos, failure);
    if (failure != null && firewall != null) {
      firewall.statementFailed(failure, sql); // classified on the firewall's own thread
    }
    if (vectors != null) {
      vectors.statementExecuted(statement, sql, result, elapsedNanos, failure,
          pool == null ? null : pool.name());
    }
  }

  @Override
  public void transactionEnded(Object connection) {
    if (vectors != null) {
      vectors.transactionEnded(connection);
    }
  }

  @Override
  public void hikariPoolSeen(Object pool, Object config) {
    announce(pools.register(pool, config));
  }

  @Override
  public void maximumPoolSizeChanged(Object config, int oldSize, int newSize) {
    HikariPoolHandle pool = pools.byConfig(config);
    if (pool != null) {
      resizes.changed(pool, oldSize, newSize);
    }
  }

  /** A failed borrow's context: the pool's state at that moment (HikariCP pools), or null. */
  private Map<String, Object> figuresOf(Object dataSource) {
    HikariPoolHandle pool = pools.byConfig(dataSource);
    if (pool == null) {
      return null;
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("pool_name", pool.name());
    figures.put("maximum_pool_size", pool.maximumSize());
    figures.put("pool_size", pool.total());
    figures.put("active_connections", pool.active());
    figures.put("idle_connections", pool.idle());
    figures.put("threads_awaiting", pool.waiting());
    return figures;
  }

  private void announce(HikariPoolHandle newPool) {
    if (newPool != null) {
      executor.execute(() -> onPoolFound.accept(newPool));
    }
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
