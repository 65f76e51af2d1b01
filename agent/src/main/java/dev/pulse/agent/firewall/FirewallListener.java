package dev.pulse.agent.firewall;

import dev.pulse.agent.instrumentation.AcquireGate;
import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.JdbcListener;
import dev.pulse.agent.instrumentation.StatementEvent;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Hands the firewall every failed borrow and statement, and asks it before each borrow. */
public final class FirewallListener implements JdbcListener, AcquireGate {
  private final ErrorFirewall firewall;
  private final Function<DataSourceKey, String> poolNames;
  private final Function<DataSourceKey, Supplier<Map<String, Object>>> poolFigures;

  /**
   * @param poolFigures the figures of a HikariCP pool, read at the failed borrow and formatted
   *     when asked; null for other DataSources
   */
  public FirewallListener(ErrorFirewall firewall, Function<DataSourceKey, String> poolNames,
      Function<DataSourceKey, Supplier<Map<String, Object>>> poolFigures) {
    this.firewall = firewall;
    this.poolNames = poolNames;
    this.poolFigures = poolFigures;
  }

  /** Free while no pool's database is held unreachable. */
  @Override
  public Throwable blocked(DataSourceKey source) {
    return firewall.anyGateClosed() ? firewall.blockedAcquire(source, poolNames.apply(source)) : null;
  }

  @Override
  public void connectionAcquired(DataSourceKey source, long waitNanos, long endNanos,
      Throwable failure) {
    if (failure != null) {
      // the figures of that moment; what is costly about them happens on the firewall's thread
      firewall.acquireFailed(failure, source, poolNames.apply(source), poolFigures.apply(source));
    } else if (firewall.anyGateClosed()) {
      firewall.acquireSucceeded(source, poolNames.apply(source));
    }
  }

  @Override
  public void statementExecuted(StatementEvent event) {
    if (event.failure() != null) {
      firewall.statementFailed(event.failure(), sqlOf(event), event.endNanos());
    }
  }

  /** The statement's SQL; for a plain batch, its first text. */
  private static String sqlOf(StatementEvent event) {
    if (event.sql() != null || event.batchTexts() == null || event.batchTexts().isEmpty()) {
      return event.sql();
    }
    return event.batchTexts().get(0);
  }
}
