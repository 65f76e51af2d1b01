package dev.pulse.agent.instrumentation;

/**
 * Per-thread state of the advice: call depths, so a call through a pool's proxy into the driver is
 * seen once, and a reusable event. It holds no application object beyond the call in progress
 * (the event is cleared after each dispatch, the innermost prepare's connection when the outermost
 * ends; the last DataSource is held weakly).
 */
public final class CallContext {
  int statementDepth;
  int acquireDepth;
  int prepareDepth;
  int batchDepth;
  int statementCloseDepth;
  int connectionCloseDepth;
  /** Above zero while the agent itself or a pool's own upkeep runs JDBC on this thread. */
  int internalDepth;
  /**
   * The depth of the getConnection that ended last in the current call tree (0: none yet). A call
   * that ends above it wrapped one already recorded.
   */
  int acquireEndedDepth;
  /** The connection of the innermost prepare in progress, until the outermost ends. */
  Object innermostPrepared;
  /** The DataSource of the getConnection recorded last, and of the one in progress: a cache. */
  DataSourceKey lastSource;
  final StatementEvent event = new StatementEvent();
  /** True while listeners run with {@link #event}: a nested dispatch gets an event of its own. */
  boolean dispatching;
}
