package dev.pulse.agent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.testing.JdbcFakes;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pool accounting as a listener of the hooks, with stand-in JDBC objects. */
class PoolAccountingTest {
  private final Hooks hooks = new Hooks();
  private final CallContext context = new CallContext();
  private final PoolRegistry registry = new PoolRegistry(ds -> "pool-a");
  private final JdbcTotals totals = new JdbcTotals(registry);

  PoolAccountingTest() {
    hooks.add(new PoolAccounting(registry, totals));
  }

  @Test
  void borrowsAndStatementsAreChargedToTheirDataSourceAndBatchesCountEachStatement() {
    Object dataSource = new Object();
    Connection connection = JdbcFakes.connection();
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, connection, null, false);
    PreparedStatement statement = JdbcFakes.statement(connection);
    hooks.prepareEnter(context);
    hooks.prepareExit(context, connection, statement, "INSERT ?");
    for (int i = 0; i < 2; i++) {
      hooks.statementExit(context, hooks.statementEnter(context), statement, null, null, null);
    }
    hooks.statementExit(context, hooks.statementEnter(context), statement, null, null,
        new SQLException("boom"));
    for (int i = 0; i < 4; i++) {
      hooks.batchEnter(context);
      hooks.batchAdded(context, statement, null, null);
    }
    hooks.batchExit(context, hooks.statementEnter(context), statement, new int[4], null);
    // a statement of no known DataSource: in the totals only
    hooks.statementExit(context, hooks.statementEnter(context), new Object(), "SELECT 1", null, null);

    PoolMetrics metrics = registry.metricsFor(hooks.keyOf(dataSource));
    assertEquals("pool-a", metrics.name());
    assertEquals(1, metrics.acquisitions());
    assertEquals(7, metrics.totalStatements());
    assertEquals(1, metrics.failedStatements());
    assertEquals(8, totals.statements());
    assertEquals(1, totals.failures());
    registry.remove(hooks.keyOf(dataSource)); // the pool closed: its statements stay counted
    assertEquals(8, totals.statements());
    assertEquals(1, totals.failures());
  }

  @Test
  void aFailedBorrowKeepsItsCauseNotTheException() {
    Object dataSource = new Object();
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, null,
        new SQLException("refused", "08001"), false);
    PoolMetrics metrics = registry.metricsFor(hooks.keyOf(dataSource));
    assertEquals(1, metrics.failedAcquisitions());
    assertEquals("SQLState 08001", metrics.lastConnectionFailure());
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, null,
        new SQLException("bad password", "28P01"), false);
    assertEquals(null, metrics.lastConnectionFailure(), "the latest failure was no outage");
  }

  @Test
  void aConnectionIsTimedFromBorrowToCloseOnceEvenWhenClosedTwiceOrNested() throws Exception {
    Object dataSource = new Object();
    Connection outer = JdbcFakes.connection();
    Connection inner = JdbcFakes.connection();
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, outer, null, false);
    Thread.sleep(30);
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, inner, null, false);
    close(inner);
    close(outer);
    close(outer); // a second close of the same connection: not a second use
    close(JdbcFakes.connection()); // never borrowed here
    PoolMetrics metrics = registry.metricsFor(hooks.keyOf(dataSource));
    long uses = 0;
    for (long count : metrics.useHistogram()) {
      uses += count;
    }
    assertEquals(2, uses);
    assertTrue(metrics.useNanos() >= 30_000_000L, metrics.useNanos() + " ns");
  }

  @Test
  void aConnectionClosedOnAnotherThreadIsNotTimedAndHoldsNothing() throws Exception {
    Object dataSource = new Object();
    Connection connection = JdbcFakes.connection();
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, connection, null, false);
    Thread other = new Thread(() -> close(connection));
    other.start();
    other.join();
    long uses = 0;
    for (long count : registry.metricsFor(hooks.keyOf(dataSource)).useHistogram()) {
      uses += count;
    }
    assertEquals(0, uses);
  }

  @Test
  void aPoolsProxyNewAtEachBorrowIsTimedByItsPooledConnectionNotWhatItUnwrapsToOnceClosed() {
    Object dataSource = new Object();
    Connection pooled = JdbcFakes.connection();
    Connection closedConnection = JdbcFakes.connection();
    for (int borrow = 0; borrow < 3; borrow++) {
      boolean[] closed = {false};
      // as HikariCP's proxy: around the pooled connection, then around its shared closed one
      Connection proxy = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Connection.class}, (self, method, args) -> {
            switch (method.getName()) {
              case "unwrap": return closed[0] ? closedConnection : pooled;
              case "hashCode": return System.identityHashCode(self);
              default: throw new UnsupportedOperationException(method.getName());
            }
          });
      hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, proxy, null, false);
      Object physical = hooks.connectionCloseEnter(context, proxy);
      closed[0] = true;
      hooks.connectionCloseExit(context, proxy, physical);
    }
    assertEquals(3, uses(registry.metricsFor(hooks.keyOf(dataSource))));
  }

  @Test
  void aPooledConnectionClosedElsewhereAndBorrowedAgainIsTimedFromItsLatestBorrow() {
    PoolMetrics pool = new PoolMetrics("pool-a");
    HeldConnections held = new HeldConnections();
    long now = System.nanoTime();
    held.borrowed(7, now - TimeUnit.SECONDS.toNanos(100), pool); // given back on another thread
    held.borrowed(7, now, pool);
    held.closed(7);
    held.closed(7);
    assertEquals(1, uses(pool));
    assertTrue(pool.useNanos() < TimeUnit.SECONDS.toNanos(100), pool.useNanos() + " ns");
  }

  private static long uses(PoolMetrics metrics) {
    long uses = 0;
    for (long count : metrics.useHistogram()) {
      uses += count;
    }
    return uses;
  }

  private void close(Connection connection) {
    CallContext closing = dev.pulse.agent.instrumentation.PulseHooks.context();
    hooks.connectionCloseExit(closing, connection, hooks.connectionCloseEnter(closing, connection));
  }
}
