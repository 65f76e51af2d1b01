package dev.pulse.agent.instrumentation;

/**
 * Stands for every listener while the agent's start registers them ({@link Hooks#hold}): an event
 * of a class woven meanwhile waits on its own thread until they are all in place, then goes to
 * them. None is lost and none reaches only the features built so far; the host's start runs on
 * beside the agent's until its first event instead of stopping at its first JDBC class. Once
 * released it is out of the hooks: their events cost nothing more for it.
 */
final class HeldEvents implements JdbcListener, HikariListener, AcquireGate {
  private final Hooks hooks;
  private final StartRelease released;

  HeldEvents(Hooks hooks, StartRelease released) {
    this.hooks = hooks;
    this.released = released;
  }

  /** The listeners are in place: the waiting events go to them. */
  void release() {
    released.release();
  }

  /** Waits for the release (or for the start to be given up). */
  void awaitRelease() {
    released.await();
  }

  /** The listeners in place once released, or none if the start never came. */
  private Listeners current() {
    return released.await() ? hooks.listeners() : Listeners.NONE;
  }

  @Override
  public void dataSourceSeen(DataSourceKey source, Object dataSource) {
    current().dataSourceSeen(source, dataSource);
  }

  @Override
  public void connectionAcquired(DataSourceKey source, long waitNanos, long endNanos,
      Throwable failure) {
    current().connectionAcquired(source, waitNanos, endNanos, failure);
  }

  @Override
  public void connectionBorrowed(DataSourceKey source, Object connection, Object physical,
      long borrowedNanos) {
    current().connectionBorrowed(source, connection, physical, borrowedNanos);
  }

  @Override
  public void connectionClosed(Object connection, Object physical) {
    current().connectionClosed(connection, physical);
  }

  @Override
  public void statementExecuted(StatementEvent event) {
    current().statementExecuted(event);
  }

  @Override
  public void transactionEnded(Object connection) {
    current().transactionEnded(connection);
  }

  @Override
  public void poolSeen(Object pool, Object config) {
    current().poolSeen(pool, config);
  }

  @Override
  public void poolClosed(Object pool, Object config) {
    current().poolClosed(pool, config);
  }

  @Override
  public void maximumPoolSizeChanged(Object config, int oldSize, int newSize) {
    current().maximumPoolSizeChanged(config, oldSize, newSize);
  }

  @Override
  public Throwable blocked(DataSourceKey source) {
    return current().blocked(source);
  }
}
