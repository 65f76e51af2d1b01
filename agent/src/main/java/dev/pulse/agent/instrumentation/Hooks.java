package dev.pulse.agent.instrumentation;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

/**
 * What the advice does, behind {@link PulseHooks}: keeps each statement's SQL and DataSource with
 * the statement (not with the thread that prepared it), each connection's DataSource with the
 * connection, and hands every event to the listeners registered for it. Everything it keeps is
 * weakly keyed, bounded, and dropped at close().
 */
public final class Hooks {
  static final int MAX_DATA_SOURCES = 1024;
  static final int MAX_CONNECTIONS = 1 << 16;
  static final int MAX_STATEMENTS = 1 << 16;
  /** Wrappers unwrapped in a row; a chain longer than that is known by where it stopped. */
  static final int MAX_UNWRAPS = 4;

  private static final String SPRING_CONNECTION_PROXY =
      "org.springframework.jdbc.datasource.ConnectionProxy";
  private static final ClassValue<Boolean> SPRING_PROXIES = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      for (Class<?> face : type.getInterfaces()) {
        if (face.getName().equals(SPRING_CONNECTION_PROXY)) {
          return Proxy.isProxyClass(type);
        }
      }
      return false;
    }
  };

  private final WeakIdentityTable<DataSourceKey> dataSources =
      new WeakIdentityTable<>(MAX_DATA_SOURCES);
  private final WeakIdentityTable<DataSourceKey> connections =
      new WeakIdentityTable<>(MAX_CONNECTIONS);
  private final WeakIdentityTable<TrackedStatement> statements =
      new WeakIdentityTable<>(MAX_STATEMENTS);
  /**
   * Plain statements' DataSources, apart: however many of them an application leaks, its prepared
   * statements keep their room (and their SQL).
   */
  private final WeakIdentityTable<TrackedStatement> plainStatements =
      new WeakIdentityTable<>(MAX_STATEMENTS);
  /** What the events go to: replaced whole at each registration. */
  private volatile Listeners listeners = Listeners.NONE;
  /** Everything registered, in use or (while held) not yet. */
  private Listeners registered = Listeners.NONE;

  public synchronized void add(JdbcListener listener) {
    register(registered.with(listener));
  }

  public synchronized void add(HikariListener listener) {
    register(registered.with(listener));
  }

  public synchronized void add(AcquireGate gate) {
    register(registered.with(gate));
  }

  private void register(Listeners all) {
    registered = all;
    if (listeners.held == null) {
      listeners = all;
    }
  }

  /**
   * From now until {@link #release}, listeners added are not called yet, and an event waits on
   * its thread for the release, then goes to them all (the agent's start, while it builds its
   * features); {@code released} is let go by the release, and says how long an event waits at
   * most. Ignored when holding already.
   */
  public synchronized void hold(StartRelease released) {
    if (listeners.held == null) {
      listeners = Listeners.allTo(new HeldEvents(this, released));
    }
  }

  /**
   * Events go to the listeners added, and those that waited go now; with {@code keep} false (the
   * start failed half-way) those are dropped and the events go nowhere. Ignored when not holding.
   */
  public synchronized void release(boolean keep) {
    HeldEvents held = listeners.held;
    if (held != null) {
      if (!keep) {
        registered = Listeners.NONE;
      }
      listeners = registered;
      held.release();
    }
  }

  Listeners listeners() {
    return listeners;
  }

  /** The key of this DataSource (or HikariCP config), made at its first sight. */
  public DataSourceKey keyOf(Object dataSource) {
    DataSourceKey key = dataSources.get(dataSource);
    if (key != null) {
      return key;
    }
    DataSourceKey made = new DataSourceKey(dataSource);
    key = dataSources.putIfAbsent(dataSource, made);
    if (key == made) {
      listeners.dataSourceSeen(made, dataSource);
    }
    return key != null ? key : made; // past the bound: a key of its own, not remembered
  }

  private DataSourceKey cachedKey(CallContext context, Object dataSource) {
    DataSourceKey key = context.lastSource;
    if (key == null || key.get() != dataSource) {
      key = keyOf(dataSource);
      context.lastSource = key;
    }
    return key;
  }

  // ---- getConnection ----

  /** Returns the start time, or 0 when this call is internal and must not be recorded. */
  public long acquireEnter(CallContext context) {
    if (context.acquireDepth++ == 0) {
      context.acquireEndedDepth = 0;
    }
    if (context.internalDepth > 0) {
      return 0;
    }
    listeners.awaitStart(); // held: the wait for the agent's start is not the pool's
    return System.nanoTime();
  }

  /** Null to go ahead with getConnection, or the exception to fail with at once. */
  public Throwable acquireGate(CallContext context, Object dataSource) {
    Listeners current = listeners;
    if (current.gates.length == 0 || context.internalDepth > 0) {
      return null;
    }
    return current.blocked(cachedKey(context, dataSource));
  }

  /**
   * The innermost getConnection of a call tree is the one recorded: it is the pool's own. An
   * outer one (a wrapping DataSource) only maps its own connection object to the same DataSource.
   * Calls side by side in one wrapper are each recorded: a failover DataSource's failed borrow
   * from one pool, then its borrow from the next. A lazy wrapper's connection (Spring's proxies)
   * is not recorded at all: it borrows on first use.
   */
  public void acquireExit(CallContext context, long start, Object dataSource, Object connection,
      Throwable failure, boolean blocked) {
    int depth = context.acquireDepth--;
    if (start == 0 || blocked) {
      return;
    }
    boolean wrapper = context.acquireEndedDepth > depth;
    context.acquireEndedDepth = depth;
    if (wrapper) {
      if (connection != null && context.lastSource != null) {
        mapConnection(connection, context.lastSource);
      }
      return;
    }
    if (isLazyWrappersProxy(connection)) {
      // the pool it takes from later, if any, is recorded then; a wrapper around it has no
      // DataSource to map its connection to either (the last one seen is another's)
      context.lastSource = null;
      return;
    }
    long end = System.nanoTime();
    DataSourceKey source = cachedKey(context, dataSource);
    Object physical = connection != null ? mapConnection(connection, source) : null;
    Listeners current = listeners;
    current.connectionAcquired(source, end - start, end, failure);
    if (connection != null) {
      current.connectionBorrowed(source, connection, physical, end);
    }
  }

  /**
   * A connection handed out by a DataSource that borrows nothing itself: Spring's connection
   * proxies (its lazy, transaction-aware and single-connection DataSources). They are JDK proxies,
   * which the agent never weaves, whose close only gives back what was taken behind them, if
   * anything: recorded, each looked held for ever. Cheap for any other connection: a type check.
   */
  private static boolean isLazyWrappersProxy(Object connection) {
    return connection instanceof Proxy && SPRING_PROXIES.get(connection.getClass());
  }

  /**
   * Returns the physical connection, taken before the close: a closed proxy unwraps to something
   * else (HikariCP's to its shared closed connection).
   */
  public Object connectionCloseEnter(CallContext context, Object connection) {
    context.connectionCloseDepth++;
    return physical(connection);
  }

  /** A pool's proxy is not a key (its physical connection is); a connection of its own is. */
  public void connectionCloseExit(CallContext context, Object connection, Object physical) {
    if (--context.connectionCloseDepth == 0 && physical == connection) {
      connections.remove(connection);
    }
    // at every depth: a wrapper's close closes the pool's proxy inside it, the one borrowed
    if (context.internalDepth == 0) {
      listeners.connectionClosed(connection, physical);
    }
  }

  /**
   * A pool whose connections are JDK proxies (Tomcat JDBC, Vibur), which are never woven: its
   * handler is advised instead. Returns the physical connection when the call is the proxy's
   * close(), else null (any other call: nothing to do).
   */
  public Object proxyCloseEnter(CallContext context, Object proxy, Object method) {
    return isCall(method, "close", 0) ? connectionCloseEnter(context, proxy) : null;
  }

  /**
   * The same for a pool that takes its connection back at abort(executor) too (Vibur; Tomcat JDBC
   * hands abort to the physical connection and still expects close).
   */
  public Object proxyCloseOrAbortEnter(CallContext context, Object proxy, Object method) {
    return isCall(method, "abort", 1) ? connectionCloseEnter(context, proxy)
        : proxyCloseEnter(context, proxy, method);
  }

  public void proxyCloseExit(CallContext context, Object proxy, Object physical) {
    if (physical != null) {
      connectionCloseExit(context, proxy, physical);
    }
  }

  private static boolean isCall(Object method, String name, int arguments) {
    return method instanceof Method && ((Method) method).getName().equals(name)
        && ((Method) method).getParameterCount() == arguments;
  }

  /**
   * Connections are known by their physical connection (what unwrap gives): a pool hands out a
   * new proxy at every borrow, but its physical connections, and their DataSource, stay. So a
   * borrow from a pool costs one lookup, not an entry made and dropped. Returns the physical
   * connection.
   */
  private Object mapConnection(Object connection, DataSourceKey source) {
    Object physical = physical(connection);
    if (connections.get(physical) != source) {
      connections.put(physical, source);
    }
    return physical;
  }

  private DataSourceKey sourceOfConnection(Object connection) {
    return connection == null ? null : connections.get(physical(connection));
  }

  /**
   * The innermost connection {@code unwrap} reaches, a few levels at most: a pool's proxy over a
   * driver's own proxy (Tomcat JDBC over pgjdbc's pooled or XA connections) unwraps one level at a
   * time, and the driver's statements are made on the connection at the bottom.
   */
  private static Object physical(Object connection) {
    Object current = connection;
    try {
      for (int level = 0; level < MAX_UNWRAPS && current instanceof Connection; level++) {
        Object inner = ((Connection) current).unwrap(Connection.class);
        if (inner == null || inner == current) {
          break;
        }
        current = inner;
      }
    } catch (Exception | LinkageError e) {
      // a wrapper that will not say: known as the last it gave
    }
    return current;
  }

  // ---- prepareStatement / prepareCall / createStatement ----

  public void prepareEnter(CallContext context) {
    context.prepareDepth++;
  }

  /**
   * The outermost prepare (or createStatement) is the application's: its statement gets the SQL
   * (none for a plain statement) and the DataSource. Where the outermost connection has none (a
   * wrapper around one of Spring's lazy proxies, which borrows inside this very call), the
   * connection of the innermost prepare gives it.
   */
  public void prepareExit(CallContext context, Object connection, Object statement, String sql) {
    if (--context.prepareDepth > 0) {
      if (context.innermostPrepared == null) {
        context.innermostPrepared = connection;
      }
      return;
    }
    Object innermost = context.innermostPrepared;
    context.innermostPrepared = null; // held no longer than the call
    if (statement != null && context.internalDepth == 0) {
      DataSourceKey source = sourceOfConnection(connection);
      if (source == null && innermost != null) {
        source = sourceOfConnection(innermost);
      }
      (sql != null ? statements : plainStatements).put(statement, new TrackedStatement(sql, source));
    }
  }

  // ---- addBatch / clearBatch ----

  public void batchEnter(CallContext context) {
    context.batchDepth++;
  }

  /** {@code sql}: the argument of Statement.addBatch(sql); null for PreparedStatement.addBatch(). */
  public void batchAdded(CallContext context, Object statement, String sql, Throwable failure) {
    if (--context.batchDepth == 0 && failure == null && context.internalDepth == 0) {
      TrackedStatement tracked = tracked(statement);
      if (tracked == null) { // made before the agent came: tracked from its first batch entry
        tracked = new TrackedStatement(null, sourceOf(statement));
        if (!plainStatements.put(statement, tracked)) {
          return;
        }
      }
      tracked.addBatch(sql);
    }
  }

  /** Not while executing: a driver empties its own batch inside executeBatch. */
  public void batchCleared(CallContext context, Object statement) {
    if (--context.batchDepth == 0 && context.statementDepth == 0) {
      TrackedStatement tracked = tracked(statement);
      if (tracked != null) {
        tracked.clearBatch();
      }
    }
  }

  // ---- execution ----

  /** Returns the start time, or 0 when this call is nested (a proxy's delegate) or internal. */
  public long statementEnter(CallContext context) {
    return context.statementDepth++ == 0 && context.internalDepth == 0 ? System.nanoTime() : 0;
  }

  public void statementExit(CallContext context, long start, Object statement, String sql,
      Object resultSet, Throwable failure) {
    long end = leaveStatement(context, start);
    if (end == 0) {
      return;
    }
    TrackedStatement tracked = tracked(statement);
    dispatch(context, statement, sql != null ? sql : tracked != null ? tracked.sql : null, null, 1,
        tracked != null ? tracked.source : sourceOf(statement), resultSet, start, end, failure);
  }

  /** executeBatch: each statement of the batch counts; {@code result} is its update counts. */
  public void batchExit(CallContext context, long start, Object statement, Object result,
      Throwable failure) {
    long end = leaveStatement(context, start);
    if (end == 0) {
      return;
    }
    TrackedStatement tracked = tracked(statement);
    if (tracked == null) {
      int count = lengthOf(result);
      if (count > 0 || failure != null) { // a failed batch of unknown size counts as one
        dispatch(context, statement, null, null, Math.max(1, count), sourceOf(statement), null,
            start, end, failure);
      }
      return;
    }
    int count = tracked.batched() > 0 ? tracked.batched() : lengthOf(result);
    List<String> texts = tracked.batchTexts();
    tracked.clearBatch(); // JDBC empties the batch whether it ran or failed
    if (count > 0 || failure != null) {
      dispatch(context, statement, tracked.sql, texts, Math.max(1, count), tracked.source, null,
          start, end, failure);
    }
  }

  /** A COPY run through the driver's own API: a statement of that connection, with no object. */
  public void copyExit(CallContext context, long start, Object connection, String sql,
      Throwable failure) {
    long end = leaveStatement(context, start);
    if (end == 0) {
      return;
    }
    dispatch(context, null, sql, null, 1, sourceOfConnection(connection), null, start, end,
        failure);
  }

  /** Leaves an execution: its end, or 0 when it is not recorded (a proxy's delegate, internal). */
  private static long leaveStatement(CallContext context, long start) {
    context.statementDepth--;
    return start == 0 ? 0 : System.nanoTime();
  }

  private static int lengthOf(Object updateCounts) {
    if (updateCounts instanceof int[]) {
      return ((int[]) updateCounts).length;
    }
    return updateCounts instanceof long[] ? ((long[]) updateCounts).length : 0;
  }

  /** Fills the thread's event (a fresh one if a listener ran JDBC of its own) and hands it over. */
  private void dispatch(CallContext context, Object statement, String sql, List<String> batchTexts,
      int count, DataSourceKey source, Object resultSet, long start, long end, Throwable failure) {
    StatementEvent event = context.dispatching ? new StatementEvent() : context.event;
    context.dispatching = true;
    try {
      event.statement = statement;
      event.sql = sql;
      event.batchTexts = batchTexts;
      event.count = count;
      event.source = source;
      event.resultSet = resultSet;
      event.elapsedNanos = end - start;
      event.endNanos = end;
      event.failure = failure;
      listeners.statementExecuted(event);
    } finally {
      event.clear();
      if (event == context.event) {
        context.dispatching = false;
      }
    }
  }

  public void statementCloseEnter(CallContext context) {
    context.statementCloseDepth++;
  }

  public void statementCloseExit(CallContext context, Object statement) {
    if (--context.statementCloseDepth == 0) {
      statements.remove(statement);
      plainStatements.remove(statement);
    }
  }

  private TrackedStatement tracked(Object statement) {
    TrackedStatement tracked = statements.get(statement);
    return tracked != null ? tracked : plainStatements.get(statement);
  }

  /** A statement never tracked (made before the agent came, or by a connection it does not see). */
  private DataSourceKey sourceOf(Object statement) {
    try {
      return statement instanceof Statement
          ? sourceOfConnection(((Statement) statement).getConnection()) : null;
    } catch (Exception | LinkageError e) {
      return null; // closed: counted in the totals only
    }
  }

  // ---- commit / rollback ----

  public void transactionEnded(Object connection) {
    listeners.transactionEnded(connection);
  }

  // ---- HikariCP ----

  public void hikariPoolSeen(Object pool, Object config) {
    listeners.poolSeen(pool, config);
  }

  public void hikariPoolClosed(Object pool, Object config) {
    listeners.poolClosed(pool, config);
  }

  public void maximumPoolSizeChanged(Object config, int oldSize, int newSize) {
    if (oldSize != newSize) {
      listeners.maximumPoolSizeChanged(config, oldSize, newSize);
    }
  }

  /** Statements and connections tracked now (for the bounded-memory proof). */
  public int trackedStatements() {
    return statements.size() + plainStatements.size();
  }

  public int trackedConnections() {
    return connections.size();
  }
}
