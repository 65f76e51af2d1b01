package dev.pulse.agent.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.broadcaster.Event;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The firewall with a fake publisher: what the agent thread decides from what was captured. */
class ErrorFirewallTest {
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private ErrorFirewall firewall(long windowMillis, boolean failFast) {
    return new ErrorFirewall(new ErrorClassifier(List.of(), true), windowMillis, events::add,
        sql -> sql.contains("<->"), failFast, 60_000);
  }

  @Test
  void capturedFailuresAreClassifiedOnTheAgentThreadAndStormsSummarized() throws Exception {
    ErrorFirewall firewall = firewall(1, false);
    for (int i = 0; i < 500; i++) {
      firewall.statementFailed(new SQLException("duplicate key value violates unique constraint"
          + " \"users_pkey\" Detail: Key (id)=(" + i + ") already exists.", "23505"), "insert into users",
          System.nanoTime());
    }
    firewall.statementFailed(new SQLException("different vector dimensions 3 and 2", "22000"),
        "select id from items order by embedding <-> ? limit 5", System.nanoTime());
    waitFor(() -> events.size() == 2);
    Map<String, ?> first = events.get(0).data();
    assertEquals("unique_violation", first.get("error_type"));
    assertEquals("query", first.get("error_scene"));
    assertEquals("observed", first.get("status"));
    assertEquals("vector_search", events.get(1).data().get("error_scene"), "told by the SQL, on the agent thread");
    int[] counted = {1};
    waitFor(() -> {
      firewall.run(); // the scheduler's job: closes the windows
      counted[0] = 1 + events.stream().filter(e -> "suppressed".equals(e.data().get("status")))
          .mapToInt(e -> (Integer) e.data().get("count")).sum();
      return counted[0] == 500;
    });
  }

  @Test
  void failFastDecidesOnTheAcquirePathFromWhatTheAgentThreadComputed() throws Exception {
    ErrorFirewall firewall = firewall(60_000, true);
    Object pool = new Object();
    assertNull(firewall.blockedAcquire(pool, "p"));
    firewall.acquireFailed(new SQLException("Connection to 127.0.0.1:1 refused", "08001"), pool, "p",
        () -> Map.of("pool_name", "p"));
    waitFor(firewall::anyGateClosed);
    SQLException blocked = firewall.blockedAcquire(pool, "p");
    assertNotNull(blocked, "the next getConnection fails fast");
    assertEquals("08001", blocked.getSQLState());
    waitFor(() -> events.stream().anyMatch(e -> "blocked".equals(e.data().get("status"))));
    assertEquals(Map.of("pool_name", "p"), events.get(0).data().get("pool"));
    firewall.acquireSucceeded(pool, "p");
    assertNull(firewall.blockedAcquire(pool, "p"), "a success opens the gate");
  }

  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 20 s");
      Thread.sleep(5);
    }
  }
}
