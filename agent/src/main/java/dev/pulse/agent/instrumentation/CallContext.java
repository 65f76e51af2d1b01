package dev.pulse.agent.instrumentation;

/**
 * Per-thread state the advice needs: call depths, so a call through a pool's proxy into the
 * driver is counted once (at the outermost level), and the connections this thread borrowed, so a
 * statement is charged to the pool it came from without a shared map.
 *
 * <p>One instance per thread, created on the thread's first JDBC call; nothing is allocated after.
 */
public final class CallContext {
  /** Connections a thread holds at once; more is rare, and the oldest slot is reused. */
  static final int BORROWED_SLOTS = 4;
  static final int PREPARED_SLOTS = 4;

  /** Depth of statement executions on this thread (proxy → driver nesting). */
  public int statementDepth;
  /** Depth of getConnection calls on this thread (wrapper DataSource → pool → driver). */
  public int acquireDepth;
  /** True once the innermost getConnection of the current call tree has been recorded. */
  public boolean acquireRecorded;
  /** Above zero while the agent itself or a pool's own upkeep runs JDBC on this thread. */
  public int internalDepth;
  /** Depth of prepareStatement/prepareCall calls (proxy connection → driver connection). */
  public int prepareDepth;
  /** The DataSource this thread last borrowed from, and its metrics: a one-entry cache. */
  public Object lastDataSource;
  public Object lastPool;

  /**
   * The statements this thread prepared last, and their SQL: how an execute without SQL finds
   * its text. Several, because a driver may prepare its own between the application's prepare and
   * execute (pgjdbc looks up a custom type such as vector when a PGobject is bound).
   */
  private final Object[] preparedStatements = new Object[PREPARED_SLOTS];
  private final String[] preparedSql = new String[PREPARED_SLOTS];
  private int nextPrepared;

  private final Object[] borrowedConnections = new Object[BORROWED_SLOTS];
  private final Object[] borrowedPools = new Object[BORROWED_SLOTS];
  private int nextSlot;

  public void prepared(Object statement, String sql) {
    preparedStatements[nextPrepared] = statement;
    preparedSql[nextPrepared] = sql;
    nextPrepared = (nextPrepared + 1) % PREPARED_SLOTS;
  }

  /** The SQL {@code statement} was prepared with on this thread, or null. */
  public String sqlOf(Object statement) {
    for (int i = 0; i < PREPARED_SLOTS; i++) {
      if (preparedStatements[i] == statement) {
        return preparedSql[i];
      }
    }
    return null;
  }

  /** Remembers that {@code connection}, just borrowed on this thread, belongs to {@code pool}. */
  public void borrowed(Object connection, Object pool) {
    for (int i = 0; i < BORROWED_SLOTS; i++) {
      if (borrowedConnections[i] == connection) {
        borrowedPools[i] = pool;
        return;
      }
    }
    borrowedConnections[nextSlot] = connection;
    borrowedPools[nextSlot] = pool;
    nextSlot = (nextSlot + 1) % BORROWED_SLOTS;
  }

  /** The pool {@code connection} was borrowed from on this thread, or null. */
  public Object poolOf(Object connection) {
    for (int i = 0; i < BORROWED_SLOTS; i++) {
      if (borrowedConnections[i] == connection) {
        return borrowedPools[i];
      }
    }
    return null;
  }
}
