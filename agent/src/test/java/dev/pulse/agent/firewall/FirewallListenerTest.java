package dev.pulse.agent.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.AcquireGate;
import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.agent.instrumentation.JdbcListener;
import dev.pulse.broadcaster.Event;
import dev.pulse.testing.JdbcFakes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The firewall as a listener of the hooks and a gate before borrows, with stand-in JDBC objects. */
class FirewallListenerTest {
  private final Hooks hooks = new Hooks();
  private final CallContext context = new CallContext();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final ErrorFirewall firewall = new ErrorFirewall(new ErrorClassifier(List.of(), true),
      60_000, events::add, sql -> sql.contains("<->"), true, 60_000);

  FirewallListenerTest() {
    FirewallListener listener = new FirewallListener(firewall, source -> "pool-a",
        source -> () -> Map.of("pool_name", "pool-a"));
    hooks.add((JdbcListener) listener);
    hooks.add((AcquireGate) listener);
  }

  private List<Map<String, ?>> intercepted() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (events.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10); // classification may run on the firewall's own thread
    }
    List<Map<String, ?>> data = new ArrayList<>();
    for (Event event : events) {
      data.add(event.data());
    }
    return data;
  }

  @Test
  void aFailedStatementIsReportedWithItsScene() throws Exception {
    Connection connection = JdbcFakes.connection();
    PreparedStatement search = JdbcFakes.statement(connection);
    hooks.prepareEnter(context);
    hooks.prepareExit(context, connection, search, "SELECT id FROM t ORDER BY e <-> ? LIMIT 3");
    hooks.statementExit(context, hooks.statementEnter(context), search, null, null,
        new SQLException("relation \"t\" does not exist", "42P01"));
    Map<String, ?> data = intercepted().get(0);
    assertEquals("vector_search", data.get("error_scene"));
    assertEquals("42P01", data.get("sql_state"));
    assertEquals("observed", data.get("status"));
  }

  @Test
  void anUnreachableDatabaseClosesTheGateUntilABorrowSucceeds() throws Exception {
    Object dataSource = new Object();
    assertNull(hooks.acquireGate(context, dataSource), "open while nothing failed");
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, null,
        new SQLException("Connection refused", "08001"), false);
    Map<String, ?> failed = intercepted().get(0);
    assertEquals("connection_acquire", failed.get("error_scene"));
    assertEquals(Map.of("pool_name", "pool-a"), failed.get("pool"));
    long deadline = System.nanoTime() + 10_000_000_000L;
    Object blocked = hooks.acquireGate(context, dataSource);
    while (blocked == null && System.nanoTime() < deadline) { // the gate closes on its own thread
      Thread.sleep(10);
      blocked = hooks.acquireGate(context, dataSource);
    }
    assertTrue(blocked instanceof SQLException, String.valueOf(blocked));
    assertNull(hooks.acquireGate(context, new Object()), "another pool's borrows go ahead");
  }
}
