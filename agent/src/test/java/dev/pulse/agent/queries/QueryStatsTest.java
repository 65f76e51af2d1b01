package dev.pulse.agent.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.broadcaster.Event;
import dev.pulse.testing.JdbcFakes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The query table through the real hooks, with stand-in JDBC objects (no database needed). */
class QueryStatsTest {
  private final Hooks hooks = new Hooks();
  private final CallContext context = new CallContext();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final Object dataSource = new Object();
  private final Object otherDataSource = new Object();

  private QueryStats stats(int maxShapes) {
    QueryStats stats = new QueryStats(maxShapes, 0, events::add,
        source -> source.get() == dataSource ? "pool-a" : "pool-b",
        resultSet -> -1, source -> "h2database", "test-queries");
    hooks.add(stats);
    return stats;
  }

  private void execute(String sql, int times) {
    execute(dataSource, sql, times);
  }

  private void execute(Object pool, String sql, int times) {
    Connection connection = JdbcFakes.connection();
    hooks.acquireExit(context, hooks.acquireEnter(context), pool, connection, null, false);
    PreparedStatement statement = JdbcFakes.statement(connection);
    hooks.prepareEnter(context);
    hooks.prepareExit(context, connection, statement, sql);
    for (int i = 0; i < times; i++) {
      hooks.statementExit(context, hooks.statementEnter(context), statement, null, null, null);
    }
  }

  /** Publishes until the table satisfies {@code done} (the worker shapes new texts meanwhile). */
  @SuppressWarnings("unchecked")
  private Map<String, ?> tableWhen(QueryStats stats, Predicate<Map<String, ?>> done)
      throws InterruptedException {
    QueryStatsPublisher publisher = new QueryStatsPublisher(stats, events::add);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      events.clear();
      publisher.run();
      for (Event event : events) {
        if (event.type().equals("query_stats") && done.test(event.data())) {
          return event.data();
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no such table: " + events.stream().map(e -> e.type() + " " + e.data()).collect(java.util.stream.Collectors.toList()));
  }

  @SuppressWarnings("unchecked")
  private static long callsOf(Map<String, ?> table, String sql) {
    for (Map<String, Object> shape : (List<Map<String, Object>>) table.get("queries")) {
      if (shape.get("sql").equals(sql)) {
        return (Long) shape.get("calls");
      }
    }
    return 0;
  }

  @Test
  void literalsFoldIntoOneShapeAndEveryCallCounts() throws Exception {
    QueryStats stats = stats(100);
    for (int i = 0; i < 20; i++) {
      execute("SELECT * FROM t WHERE id = " + i + " AND name = 'n" + i + "'", 3);
    }
    String shape = "SELECT * FROM t WHERE id = ? AND name = ?";
    Map<String, ?> table = tableWhen(stats, t -> callsOf(t, shape) == 60);
    assertEquals(1, table.get("shapes"));
    assertEquals("pool-a", table.get("pool_name"));
    assertEquals(0L, table.get("dropped_statements"));
  }

  @Test
  void atTheBoundTheLeastCalledShapesGoAndAreCounted() throws Exception {
    QueryStats stats = stats(10);
    for (int i = 1; i <= 25; i++) {
      execute("SELECT c" + i + " FROM t", i); // shape i is called i times
    }
    Map<String, ?> table = tableWhen(stats, t -> callsOf(t, "SELECT c25 FROM t") == 25);
    assertTrue((Integer) table.get("shapes") <= 10, table.toString());
    assertTrue((Long) table.get("evicted_shapes") >= 15, table.toString());
    assertEquals(24, callsOf(table, "SELECT c24 FROM t"), "the most called stay");
  }

  @Test
  void statementsOfTwoPoolsInTurnCountInTheirOwnPool() throws Exception {
    QueryStats stats = stats(100);
    for (int i = 0; i < 10; i++) {
      execute(dataSource, "SELECT a FROM t", 1);
      execute(otherDataSource, "SELECT a FROM t", 2);
    }
    tableWhen(stats, t -> t.get("pool_name").equals("pool-a") && callsOf(t, "SELECT a FROM t") == 10);
    tableWhen(stats, t -> t.get("pool_name").equals("pool-b") && callsOf(t, "SELECT a FROM t") == 20);
  }

  @Test
  void aPlainBatchOfDifferentStatementsIsOneShapeOfThemAllAndOfTheSameOneItsShape()
      throws Exception {
    QueryStats stats = stats(100);
    Connection connection = JdbcFakes.connection();
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, connection, null, false);
    PreparedStatement plain = JdbcFakes.statement(connection);
    batch(plain, "INSERT INTO t (id) VALUES (1)", "UPDATE t SET id = 2 WHERE id = 1",
        "INSERT INTO t (id) VALUES (3)", "DELETE FROM t WHERE id = 2");
    batch(plain, "DELETE FROM t WHERE id = 7", "INSERT INTO t (id) VALUES (8)",
        "UPDATE t SET id = 9 WHERE id = 8"); // the same statements in another order
    batch(plain, "INSERT INTO t (id) VALUES (4)", "INSERT INTO t (id) VALUES (5)");
    String mixed = "DELETE FROM t WHERE id = ?; INSERT INTO t (id) VALUES (?);"
        + " UPDATE t SET id = ? WHERE id = ?";
    String insert = "INSERT INTO t (id) VALUES (?)";
    Map<String, ?> table = tableWhen(stats,
        t -> callsOf(t, mixed) == 7 && callsOf(t, insert) == 2); // calls: statements run
    assertEquals(2, ((List<?>) table.get("queries")).size(), String.valueOf(table));

    Map<String, Long> counts = new java.util.TreeMap<>();
    stats.readOperations((pool, system, operation, collection, overflow, errorType, durations,
        nanos, rows, rowSum) -> counts.merge(operation + " " + collection,
            Arrays.stream(durations).sum(), Long::sum));
    assertEquals(Map.of("BATCH t", 2L, "BATCH INSERT t", 1L), counts); // all on t, not all INSERT
  }

  private void batch(PreparedStatement plain, String... texts) {
    for (String text : texts) {
      hooks.batchEnter(context);
      hooks.batchAdded(context, plain, text, null);
    }
    hooks.batchExit(context, hooks.statementEnter(context), plain, new int[texts.length], null);
  }

  @Test
  void statementsCountPerOperationAndCollectionAndFailuresPerErrorType() throws Exception {
    QueryStats stats = stats(100);
    for (int i = 0; i < 5; i++) {
      execute("SELECT * FROM orders WHERE id = " + i, 2); // 5 texts, 10 executions
    }
    execute("INSERT INTO orders VALUES (1)", 3);
    Connection connection = JdbcFakes.connection();
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, connection, null, false);
    PreparedStatement failing = JdbcFakes.statement(connection);
    hooks.prepareEnter(context);
    hooks.prepareExit(context, connection, failing, "SELECT * FROM missing");
    hooks.statementExit(context, hooks.statementEnter(context), failing, null, null,
        new java.sql.SQLException("no such table", "42P01"));
    hooks.statementExit(context, hooks.statementEnter(context), failing, null, null,
        new IllegalStateException("not SQL"));
    for (int i = 0; i < 3; i++) {
      hooks.batchEnter(context);
      hooks.batchAdded(context, failing, null, null);
    }
    hooks.batchExit(context, hooks.statementEnter(context), failing, new int[3], null);

    Map<String, Long> counts = new java.util.TreeMap<>();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (counts.values().stream().mapToLong(Long::longValue).sum() != 16
        && System.nanoTime() < deadline) {
      counts.clear();
      stats.readOperations((pool, system, operation, collection, overflow, errorType, durations,
          nanos, rows, rowSum) -> {
        assertEquals("pool-a", pool);
        assertEquals("h2database", system);
        assertEquals(OperationStats.DURATION_BOUNDS.length + 1, durations.length);
        counts.merge(operation + " " + collection + " " + errorType,
            Arrays.stream(durations).sum(), Long::sum);
      });
      Thread.sleep(10);
    }
    assertEquals(Map.of("SELECT orders null", 10L, "INSERT orders null", 3L,
        "SELECT missing 42", 1L, "SELECT missing java.lang.IllegalStateException", 1L,
        "BATCH SELECT missing null", 1L), counts);
  }

  @Test
  void pastTheCapNewOperationsCountInTheOverflowNotInNewSeries() throws Exception {
    QueryStats stats = stats(2000);
    int tables = QueryStats.MAX_OPERATIONS + 5;
    for (int i = 0; i < tables; i++) {
      execute("SELECT a FROM t" + i, 1);
    }
    long[] named = new long[1];
    long[] overflow = new long[1];
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (named[0] + overflow[0] != tables && System.nanoTime() < deadline) {
      named[0] = 0;
      overflow[0] = 0;
      stats.readOperations((pool, system, operation, collection, overflowed, errorType, durations,
          nanos, rows, rowSum) -> {
        long count = Arrays.stream(durations).sum();
        if (overflowed) {
          assertEquals(null, collection);
          overflow[0] += count;
        } else {
          named[0] += count;
        }
      });
      Thread.sleep(10);
    }
    assertEquals(QueryStats.MAX_OPERATIONS, named[0]);
    assertEquals(5, overflow[0]);
  }

  @Test
  void evictedShapesStayInTheirOperationsCountsWhichNeverDrop() throws Exception {
    QueryStats stats = stats(10);
    long[] last = new long[2]; // statements, nanos of SELECT t, as last read
    long expected = 0;
    for (int i = 1; i <= 40; i++) {
      execute("SELECT c" + i + " FROM t", i); // 40 shapes of one operation, past the bound of 10
      expected += i;
      readSelectsOfT(stats, last);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (last[0] != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
      readSelectsOfT(stats, last);
    }
    assertEquals(expected, last[0], "every statement counted once, evicted shapes' too");
    Map<String, ?> table = tableWhen(stats, t -> callsOf(t, "SELECT c40 FROM t") == 40);
    assertTrue((Long) table.get("evicted_shapes") >= 30, table.toString());
    for (int round = 0; round < 3; round++) { // the evicted figures are folded pass by pass
      readSelectsOfT(stats, last);
      assertEquals(expected, last[0]);
    }
  }

  /** Reads the SELECT t operation, checking its counts never went back since {@code last}. */
  private static void readSelectsOfT(QueryStats stats, long[] last) {
    long[] now = new long[2];
    stats.readOperations((pool, system, operation, collection, overflow, errorType, durations,
        nanos, rows, rowSum) -> {
      if ("SELECT".equals(operation) && "t".equals(collection) && errorType == null) {
        now[0] += Arrays.stream(durations).sum();
        now[1] += nanos;
      }
    });
    assertTrue(now[0] >= last[0] && now[1] >= last[1],
        "went back: " + Arrays.toString(last) + " to " + Arrays.toString(now)
            + " (statements, ns)");
    last[0] = now[0];
    last[1] = now[1];
  }
}
