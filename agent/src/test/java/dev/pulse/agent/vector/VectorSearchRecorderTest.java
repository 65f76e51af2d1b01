package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.broadcaster.Event;
import dev.pulse.testing.JdbcFakes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vector search tracking as a listener of the hooks, with stand-in JDBC objects (no driver to read
 * bound values or rows from: those figures are null, never guessed).
 */
class VectorSearchRecorderTest {
  private static final String SEARCH = "SELECT id FROM items ORDER BY embedding <-> '[1,2,3]' LIMIT 5";

  private final Hooks hooks = new Hooks();
  private final CallContext context = new CallContext();
  private final List<Event> events = new ArrayList<>();
  private final Object dataSource = new Object();
  private final Connection connection = JdbcFakes.connection();

  VectorSearchRecorderTest() {
    hooks.add(new VectorSearchRecorder(events::add, 0, 1, pool -> null,
        source -> source.get() == dataSource ? "pool-a" : "other"));
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, connection, null, false);
  }

  private PreparedStatement prepare(String sql) {
    PreparedStatement statement = JdbcFakes.statement(connection);
    hooks.prepareEnter(context);
    hooks.prepareExit(context, connection, statement, sql);
    return statement;
  }

  private void execute(Object statement, Throwable failure) {
    hooks.statementExit(context, hooks.statementEnter(context), statement, null, null, failure);
  }

  @Test
  void aKeptSearchIsReportedAtEachExecutionWithItsPoolAndSettings() {
    PreparedStatement search = prepare(SEARCH);
    execute(search, null);
    execute(prepare("SET hnsw.ef_search = 100"), null);
    execute(search, null);
    execute(search, new SQLException("canceled", "57014"));
    assertEquals(2, events.size(), "a failed search is the firewall's, not a search");
    Map<String, ?> first = events.get(0).data();
    assertEquals("search_completed", events.get(0).type());
    assertEquals("items", first.get("collection"));
    assertEquals(5, first.get("top_k"));
    assertEquals("l2", first.get("distance"));
    assertEquals("pool-a", first.get("pool_name"));
    assertEquals(40, first.get("ef_search"));
    assertEquals(null, first.get("results_count"), "no rows known from a stand-in result");
    assertEquals(100, events.get(1).data().get("ef_search"), "the SET on the same connection");
  }

  @Test
  void aBatchedSearchIsReportedOncePerExecution() {
    PreparedStatement searching = prepare("INSERT INTO hits SELECT id FROM items"
        + " ORDER BY embedding <-> '[1,1,1]' LIMIT 3");
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 4; i++) {
        hooks.batchEnter(context);
        hooks.batchAdded(context, searching, null, null);
      }
      hooks.batchExit(context, hooks.statementEnter(context), searching, new int[4], null);
    }
    PreparedStatement plain = JdbcFakes.statement(connection);
    for (String sql : List.of(SEARCH, "INSERT INTO t VALUES (1)", SEARCH)) {
      hooks.batchEnter(context);
      hooks.batchAdded(context, plain, sql, null);
    }
    hooks.batchExit(context, hooks.statementEnter(context), plain, new int[3], null);
    List<Object> collections = new ArrayList<>();
    for (Event event : events) {
      collections.add(event.data().get("collection"));
    }
    assertEquals(List.of("items", "items", "items"), collections);
    assertTrue(events.stream().allMatch(e -> "pool-a".equals(e.data().get("pool_name"))));
  }

  @Test
  void belowTheRateEverySearchHasItsEventOfWeightOne() {
    PreparedStatement search = prepare(SEARCH);
    for (int i = 0; i < 20; i++) {
      execute(search, null);
    }
    assertEquals(20, events.size());
    assertTrue(events.stream().allMatch(e -> Long.valueOf(1).equals(e.data().get("sample_weight"))));
  }

  @Test
  void aboveTheRateEventsAreSampledAndVectorStatsCountsEverySearch() {
    List<Event> sampled = new ArrayList<>();
    VectorSearchRecorder recorder = new VectorSearchRecorder(sampled::add, 0, 1, pool -> null,
        source -> "pool-a", null, null, false, 5, () -> { });
    Hooks own = new Hooks();
    own.add(recorder);
    own.acquireExit(context, own.acquireEnter(context), dataSource, connection, null, false);
    PreparedStatement search = JdbcFakes.statement(connection);
    own.prepareEnter(context);
    own.prepareExit(context, connection, search, SEARCH);
    int searches = 500; // in far less than the 100 s that 5 a second would need to send them all
    for (int i = 0; i < searches; i++) {
      own.statementExit(context, own.statementEnter(context), search, null, null, null);
    }
    List<Event> completed = new ArrayList<>(sampled);
    assertTrue(completed.size() >= 5 && completed.size() < 50, completed.size() + " events");
    recorder.stats().run();
    Map<String, ?> stats = sampled.get(sampled.size() - 1).data();
    assertEquals("vector_stats", sampled.get(sampled.size() - 1).type());
    assertEquals((long) searches, stats.get("searches"), "exact, whatever was sampled");
    assertEquals((long) completed.size(), stats.get("events"));
    long weights = completed.stream().mapToLong(e -> (Long) e.data().get("sample_weight")).sum();
    assertTrue(weights <= searches, "no search is counted twice");
  }
}
