package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.JdbcFakes;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The hooks' bookkeeping, driven as the advice drives it, with stand-in JDBC objects: each
 * execution is attributed to its statement's SQL and its connection's DataSource, whatever the
 * thread and whatever was prepared in between; nothing is held after close or after the
 * application dropped the object.
 */
class HooksTest {
  private final Hooks hooks = new Hooks();
  private final CallContext context = new CallContext();
  private final Recorder recorder = new Recorder();

  HooksTest() {
    hooks.add(recorder);
  }

  /** What a listener saw of one execution. */
  private static final class Seen {
    final Object statement;
    final String sql;
    final List<String> batch;
    final int count;
    final DataSourceKey source;
    final Throwable failure;

    Seen(StatementEvent event) {
      statement = event.statement();
      sql = event.sql();
      batch = event.batchTexts() == null ? null : new ArrayList<>(event.batchTexts());
      count = event.count();
      source = event.source();
      failure = event.failure();
    }
  }

  private static final class Recorder implements JdbcListener {
    final List<Seen> executions = new ArrayList<>();
    final List<DataSourceKey> acquired = new ArrayList<>();
    final List<Object> seenDataSources = new ArrayList<>();

    @Override
    public synchronized void statementExecuted(StatementEvent event) {
      executions.add(new Seen(event));
    }

    @Override
    public synchronized void connectionAcquired(DataSourceKey source, long waitNanos,
        long endNanos, Throwable failure) {
      acquired.add(source);
    }

    @Override
    public void dataSourceSeen(DataSourceKey source, Object dataSource) {
      seenDataSources.add(dataSource);
    }

    final List<Object> closed = new ArrayList<>();
    int borrowed;

    @Override
    public void connectionBorrowed(DataSourceKey source, Object connection, Object physical,
        long borrowedNanos) {
      borrowed++;
    }

    @Override
    public void connectionClosed(Object connection, Object physical) {
      closed.add(connection);
    }
  }

  private Connection borrow(CallContext on, Object dataSource) {
    Connection connection = JdbcFakes.connection();
    long start = hooks.acquireEnter(on);
    hooks.acquireExit(on, start, dataSource, connection, null, false);
    return connection;
  }

  private PreparedStatement prepare(CallContext on, Connection connection, String sql) {
    PreparedStatement statement = JdbcFakes.statement(connection);
    hooks.prepareEnter(on);
    hooks.prepareExit(on, connection, statement, sql);
    return statement;
  }

  private void execute(CallContext on, Object statement) {
    hooks.statementExit(on, hooks.statementEnter(on), statement, null, null, null);
  }

  private void close(CallContext on, Object statement) {
    hooks.statementCloseEnter(on);
    hooks.statementCloseExit(on, statement);
  }

  /**
   * Spring's lazy and transaction-aware DataSources (the real ones) hand out a JDK proxy and
   * borrow from their pool on first use: that borrow is recorded, the proxy's never is (its close
   * is never seen: it would look held for ever).
   */
  @Test
  void springsLazyProxiesAreNotBorrowsTheirPoolsAre() throws Exception {
    Object pool = new Object();
    DataSource target = fakeDataSource(() -> {
      Connection connection = JdbcFakes.connection();
      hooks.acquireExit(context, hooks.acquireEnter(context), pool, connection, null, false);
      return connection;
    });
    LazyConnectionDataSourceProxy lazyOne = new LazyConnectionDataSourceProxy(target);
    lazyOne.setDefaultAutoCommit(true); // else it borrows once to learn them
    lazyOne.setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    for (DataSource lazy : List.of(new TransactionAwareDataSourceProxy(target), lazyOne)) {
      recorder.acquired.clear();
      long start = hooks.acquireEnter(context);
      Connection proxy = lazy.getConnection();
      hooks.acquireExit(context, start, lazy, proxy, null, false);
      assertEquals(List.of(), recorder.acquired, lazy.getClass().getSimpleName());
      // its first use borrows from the pool (the fake connection answers nothing more)
      assertThrows(UnsupportedOperationException.class, () -> proxy.nativeSQL("SELECT 1"));
      assertEquals(List.of(hooks.keyOf(pool)), recorder.acquired, lazy.getClass().getSimpleName());
    }
    assertEquals(2, recorder.borrowed);
  }

  /**
   * An application's wrapping DataSource around a lazy one (found by an outside review): the
   * wrapper's connection has no DataSource of its own, and its statements are the pool's that the
   * lazy proxy borrows from inside the prepare, not the pool the thread used before.
   */
  @Test
  void aWrapperAroundALazyProxyTakesItsPoolFromTheBorrowInsideThePrepare() throws Exception {
    Object poolA = new Object();
    borrow(context, poolA); // the thread's last DataSource before
    Object poolB = new Object();
    Connection driver = JdbcFakes.connection();
    LazyConnectionDataSourceProxy lazy = new LazyConnectionDataSourceProxy(fakeDataSource(() -> {
      hooks.acquireExit(context, hooks.acquireEnter(context), poolB, driver, null, false);
      return driver;
    }));
    lazy.setDefaultAutoCommit(true);
    lazy.setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    long outer = hooks.acquireEnter(context);
    long inner = hooks.acquireEnter(context);
    Connection proxy = lazy.getConnection();
    hooks.acquireExit(context, inner, lazy, proxy, null, false);
    Connection wrapper = wrapping(proxy);
    hooks.acquireExit(context, outer, new Object(), wrapper, null, false);

    PreparedStatement statement = JdbcFakes.statement(wrapper);
    hooks.prepareEnter(context);
    // inside, the lazy proxy borrows from poolB and the driver prepares
    assertThrows(UnsupportedOperationException.class, () -> proxy.nativeSQL("SELECT 1"));
    prepare(context, driver, "SELECT 1");
    hooks.prepareExit(context, wrapper, statement, "SELECT 1");
    execute(context, statement);
    assertEquals(hooks.keyOf(poolB), recorder.executions.get(0).source);
    assertNull(context.innermostPrepared);
  }

  private static DataSource fakeDataSource(Callable<Connection> borrow) {
    return (DataSource) Proxy.newProxyInstance(HooksTest.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (self, method, args) -> {
          if (method.getName().equals("getConnection")) {
            return borrow.call();
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  /** Tomcat JDBC over pgjdbc's pooled connections: a pool's proxy over the driver's own proxy. */
  @Test
  void aStatementOnTheConnectionAtTheBottomOfAChainOfWrappersIsThePools() {
    Object pool = new Object();
    Connection driver = JdbcFakes.connection();
    Connection pooled = wrapping(wrapping(driver));
    hooks.acquireExit(context, hooks.acquireEnter(context), pool, pooled, null, false);
    execute(context, prepare(context, driver, "SELECT 1"));
    assertEquals(hooks.keyOf(pool), recorder.executions.get(0).source);
  }

  private static Connection wrapping(Connection inner) {
    return (Connection) Proxy.newProxyInstance(HooksTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (self, method, args) -> {
          if (method.getName().equals("unwrap")) {
            return inner;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void aProxysBorrowEndsAtItsHandlersCloseAndWhereThePoolSaysSoAtAbort() throws Exception {
    Connection proxy = borrow(context, new Object());
    Method close = Connection.class.getMethod("close");
    Method abort = Connection.class.getMethod("abort", Executor.class);
    for (Method call : List.of(Connection.class.getMethod("prepareStatement", String.class),
        Connection.class.getMethod("isClosed"), Object.class.getMethod("toString"))) {
      assertNull(hooks.proxyCloseEnter(context, proxy, call));
      assertNull(hooks.proxyCloseOrAbortEnter(context, proxy, call));
    }
    assertNull(hooks.proxyCloseEnter(context, proxy, abort)); // Tomcat: close still to come
    hooks.proxyCloseExit(context, proxy, null);
    assertEquals(List.of(), recorder.closed);
    hooks.proxyCloseExit(context, proxy, hooks.proxyCloseEnter(context, proxy, close));
    hooks.proxyCloseExit(context, proxy, hooks.proxyCloseOrAbortEnter(context, proxy, close));
    hooks.proxyCloseExit(context, proxy, hooks.proxyCloseOrAbortEnter(context, proxy, abort));
    assertEquals(List.of(proxy, proxy, proxy), recorder.closed);
    assertEquals(0, context.connectionCloseDepth);
  }

  @Test
  void aKeptStatementIsAttributedAtEveryExecutionWhateverWasPreparedBetween() {
    Object dataSource = new Object();
    Connection connection = borrow(context, dataSource);
    PreparedStatement search = prepare(context, connection, "SELECT search");
    for (int i = 0; i < 50; i++) {
      execute(context, search);
      for (int j = 0; j < 6; j++) {
        PreparedStatement other = prepare(context, connection, "SELECT other " + j);
        execute(context, other);
        close(context, other);
      }
    }
    long searches = recorder.executions.stream().filter(e -> "SELECT search".equals(e.sql)).count();
    assertEquals(50, searches);
    assertEquals(350, recorder.executions.size());
    DataSourceKey key = recorder.acquired.get(0);
    assertSame(dataSource, key.get());
    assertTrue(recorder.executions.stream().allMatch(e -> e.source == key));
    assertEquals(List.of(dataSource), recorder.seenDataSources, "seen once");
  }

  @Test
  void aStatementPreparedOnOneThreadIsAttributedOnAnother() throws Exception {
    Connection connection = borrow(context, new Object());
    PreparedStatement statement = prepare(context, connection, "SELECT 1");
    CompletableFuture.runAsync(() -> execute(new CallContext(), statement)).get();
    assertEquals("SELECT 1", recorder.executions.get(0).sql);
    assertSame(recorder.acquired.get(0), recorder.executions.get(0).source);
  }

  @Test
  void aConnectionHandedToAnotherThreadKeepsItsDataSource() throws Exception {
    Connection connection = borrow(context, new Object());
    CompletableFuture.runAsync(() -> {
      CallContext other = new CallContext();
      execute(other, prepare(other, connection, "UPDATE t"));
      hooks.statementExit(other, hooks.statementEnter(other), JdbcFakes.statement(connection),
          "SELECT plain", null, null);
    }).get();
    assertEquals(2, recorder.executions.size());
    for (Seen seen : recorder.executions) {
      assertSame(recorder.acquired.get(0), seen.source);
    }
    assertEquals("SELECT plain", recorder.executions.get(1).sql, "a plain statement's own SQL");
  }

  @Test
  void aCallThroughAProxyIntoTheDriverIsSeenOnce() {
    Connection proxy = borrow(context, new Object());
    Connection driver = JdbcFakes.connection();
    PreparedStatement proxyStatement = JdbcFakes.statement(proxy);
    PreparedStatement driverStatement = JdbcFakes.statement(driver);
    hooks.prepareEnter(context);
    hooks.prepareEnter(context);
    hooks.prepareExit(context, driver, driverStatement, "SELECT 1");
    hooks.prepareExit(context, proxy, proxyStatement, "SELECT 1");
    long outer = hooks.statementEnter(context);
    long inner = hooks.statementEnter(context);
    hooks.statementExit(context, inner, driverStatement, null, null, null);
    hooks.statementExit(context, outer, proxyStatement, null, null, null);
    assertEquals(1, recorder.executions.size());
    assertSame(proxyStatement, recorder.executions.get(0).statement);
    assertEquals(1, hooks.trackedStatements(), "only the application's statement is kept");
  }

  @Test
  void eachBatchedStatementCountsAndAPlainBatchKeepsItsTexts() {
    Connection connection = borrow(context, new Object());
    PreparedStatement insert = prepare(context, connection, "INSERT ?");
    for (int i = 0; i < 3; i++) {
      hooks.batchEnter(context);
      hooks.batchAdded(context, insert, null, null);
    }
    hooks.batchExit(context, hooks.statementEnter(context), insert, new int[3], null);
    hooks.batchEnter(context);
    hooks.batchAdded(context, insert, null, null);
    hooks.batchEnter(context);
    hooks.batchCleared(context, insert);
    hooks.batchEnter(context);
    hooks.batchAdded(context, insert, null, null);
    hooks.batchExit(context, hooks.statementEnter(context), insert, new int[1], null);

    PreparedStatement plain = JdbcFakes.statement(connection);
    for (String sql : List.of("INSERT a", "INSERT b")) {
      hooks.batchEnter(context);
      hooks.batchAdded(context, plain, sql, null);
    }
    hooks.batchExit(context, hooks.statementEnter(context), plain, new long[2], null);

    assertEquals(3, recorder.executions.get(0).count);
    assertEquals("INSERT ?", recorder.executions.get(0).sql);
    assertEquals(1, recorder.executions.get(1).count, "the cleared entry is not counted");
    Seen plainBatch = recorder.executions.get(2);
    assertEquals(2, plainBatch.count);
    assertEquals(List.of("INSERT a", "INSERT b"), plainBatch.batch);
    assertSame(recorder.acquired.get(0), plainBatch.source);
  }

  @Test
  void anUntrackedBatchCountsItsUpdateCountsAndAFailedAddIsNotCounted() {
    Connection connection = borrow(context, new Object());
    PreparedStatement statement = JdbcFakes.statement(connection);
    hooks.batchExit(context, hooks.statementEnter(context), statement, new int[4], null);
    assertEquals(4, recorder.executions.get(0).count);
    hooks.batchEnter(context);
    hooks.batchAdded(context, statement, "INSERT x", new IllegalStateException("refused"));
    hooks.batchExit(context, hooks.statementEnter(context), statement, null,
        new IllegalStateException("failed"));
    assertEquals(1, recorder.executions.get(1).count, "a failed batch of unknown size is one");
  }

  @Test
  void aWrappingDataSourcesConnectionMapsToThePoolBelowIt() {
    Object wrapper = new Object();
    Object pool = new Object();
    Connection inner = JdbcFakes.connection();
    Connection outer = JdbcFakes.connection();
    long outerStart = hooks.acquireEnter(context);
    long innerStart = hooks.acquireEnter(context);
    hooks.acquireExit(context, innerStart, pool, inner, null, false);
    hooks.acquireExit(context, outerStart, wrapper, outer, null, false);
    assertEquals(1, recorder.acquired.size(), "one borrow, recorded at the pool");
    execute(context, prepare(context, outer, "SELECT 1"));
    assertSame(pool, recorder.executions.get(0).source.get());
  }

  @Test
  void aFailoverDataSourceRecordsTheFailedBorrowAndTheNextPoolsBorrow() {
    Object failover = new Object();
    Object primary = new Object();
    Object standby = new Object();
    Connection fromStandby = JdbcFakes.connection();
    Connection handedOut = JdbcFakes.connection();
    long outerStart = hooks.acquireEnter(context);
    long primaryStart = hooks.acquireEnter(context);
    hooks.acquireExit(context, primaryStart, primary, null, new IllegalStateException("down"),
        false);
    long standbyStart = hooks.acquireEnter(context);
    hooks.acquireExit(context, standbyStart, standby, fromStandby, null, false);
    hooks.acquireExit(context, outerStart, failover, handedOut, null, false);
    assertEquals(List.of(primary, standby),
        List.of(recorder.acquired.get(0).get(), recorder.acquired.get(1).get()),
        "both pools' borrows, the wrapper's none: " + recorder.acquired);
    assertEquals(2, recorder.acquired.size());
    execute(context, prepare(context, handedOut, "SELECT 1"));
    assertSame(standby, recorder.executions.get(0).source.get(),
        "the statement runs on the standby's connection");
  }

  @Test
  void aPoolBesideAWrapperInOneCallIsRecordedToo() {
    Object outer = new Object();
    Object wrapper = new Object();
    Object wrapped = new Object();
    Object plain = new Object();
    long outerStart = hooks.acquireEnter(context);
    long wrapperStart = hooks.acquireEnter(context);
    long wrappedStart = hooks.acquireEnter(context);
    hooks.acquireExit(context, wrappedStart, wrapped, JdbcFakes.connection(), null, false);
    hooks.acquireExit(context, wrapperStart, wrapper, JdbcFakes.connection(), null, false);
    long plainStart = hooks.acquireEnter(context);
    hooks.acquireExit(context, plainStart, plain, JdbcFakes.connection(), null, false);
    hooks.acquireExit(context, outerStart, outer, JdbcFakes.connection(), null, false);
    assertEquals(2, recorder.acquired.size(), "the innermost of each branch: " + recorder.acquired);
    assertSame(wrapped, recorder.acquired.get(0).get());
    assertSame(plain, recorder.acquired.get(1).get());
  }

  @Test
  void plainStatementsLeakedPastTheBoundLeaveRoomForPreparedOnes() {
    Connection connection = borrow(context, new Object());
    List<Object> leaked = new ArrayList<>(); // held: the table cannot let them go
    for (int i = 0; i < 2 * Hooks.MAX_STATEMENTS; i++) { // every segment of a table full
      Object plain = JdbcFakes.statement(connection);
      hooks.prepareEnter(context);
      hooks.prepareExit(context, connection, plain, null); // createStatement()
      leaked.add(plain);
    }
    execute(context, prepare(context, connection, "SELECT 1"));
    assertEquals("SELECT 1", recorder.executions.get(0).sql);
    assertEquals(2 * Hooks.MAX_STATEMENTS, leaked.size()); // still reachable until here
  }

  @Test
  void anInternalCallIsNeitherTimedNorTracked() {
    Connection connection = borrow(context, new Object());
    context.internalDepth++;
    PreparedStatement statement = prepare(context, connection, "SELECT internal");
    execute(context, statement);
    context.internalDepth--;
    assertTrue(recorder.executions.isEmpty());
    assertEquals(0, hooks.trackedStatements());
  }

  @Test
  void aGateFailsTheBorrowAndAThrowingListenerHurtsNoOther() {
    hooks.add((AcquireGate) source -> new IllegalStateException("blocked"));
    List<Object> after = new ArrayList<>();
    Hooks throwing = new Hooks();
    throwing.add(new JdbcListener() {
      @Override
      public void statementExecuted(StatementEvent event) {
        throw new IllegalStateException("a broken listener");
      }
    });
    throwing.add(new JdbcListener() {
      @Override
      public void statementExecuted(StatementEvent event) {
        after.add(event.sql());
      }
    });
    assertTrue(hooks.acquireGate(context, new Object()) instanceof IllegalStateException);
    CallContext other = new CallContext();
    throwing.statementExit(other, throwing.statementEnter(other), new Object(), "SELECT 1", null, null);
    assertEquals(List.of("SELECT 1"), after);
  }

  @Test
  void theEventHoldsNothingAfterItsDispatch() {
    Connection connection = borrow(context, new Object());
    execute(context, prepare(context, connection, "SELECT 1"));
    assertNull(context.event.statement());
    assertNull(context.event.sql());
    assertNull(context.event.source());
    assertNull(context.event.resultSet());
  }

  @Test
  void aHundredThousandStatementsPreparedAndClosedLeaveNothingBehind() {
    Connection connection = borrow(context, new Object());
    for (int i = 0; i < 100_000; i++) {
      PreparedStatement statement = prepare(context, connection, "SELECT " + i);
      if (i % 100 == 0) {
        execute(context, statement);
      }
      close(context, statement);
    }
    assertEquals(0, hooks.trackedStatements());
    assertEquals(1000, recorder.executions.size());
  }

  @Test
  void statementsAndConnectionsTheApplicationDroppedAreNotHeld() throws Exception {
    for (int i = 0; i < 100_000; i++) {
      Connection connection = borrow(context, new Object());
      prepare(context, connection, "SELECT " + i); // never closed
    }
    assertTrue(hooks.trackedStatements() <= Hooks.MAX_STATEMENTS, "bounded");
    long deadline = System.nanoTime() + 30_000_000_000L;
    while ((hooks.trackedStatements() > 0 || hooks.trackedConnections() > 0)
        && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, hooks.trackedStatements());
    assertEquals(0, hooks.trackedConnections());
  }
}
