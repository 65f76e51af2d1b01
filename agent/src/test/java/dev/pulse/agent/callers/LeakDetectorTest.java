package dev.pulse.agent.callers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.agent.leaks.LeakDetector;
import dev.pulse.broadcaster.Event;
import dev.pulse.testing.JdbcFakes;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The leak detector through the real hooks, with a stand-in connection and a real scheduler. In a
 * package of its own, as an application's code: the agent tells its own frames by package, so a
 * test beside the feature would be taken for the agent and left out of the call site.
 */
class LeakDetectorTest {
  private final Hooks hooks = new Hooks();
  private final CallContext context = new CallContext();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final Object dataSource = new Object();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private LeakDetector detector(long thresholdMillis) {
    scheduler.setRemoveOnCancelPolicy(true);
    LeakDetector detector = new LeakDetector(TimeUnit.MILLISECONDS.toNanos(thresholdMillis),
        scheduler, events::add, source -> "pool-a");
    hooks.add(detector);
    return detector;
  }

  private Connection borrowHere() {
    Connection connection = JdbcFakes.connection();
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, connection, null, false);
    return connection;
  }

  private Event awaitEvent(int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (events.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(events.size() >= count, "events: " + events);
    return events.get(count - 1);
  }

  @Test
  void aConnectionHeldPastTheThresholdIsReportedOnceThenItsReturn() throws Exception {
    LeakDetector detector = detector(50);
    Connection connection = borrowHere();
    Map<String, ?> held = awaitEvent(1).data();
    assertEquals("connection_leak", events.get(0).type());
    assertEquals("held", held.get("status"));
    assertEquals("pool-a", held.get("pool_name"));
    assertEquals(Thread.currentThread().getName(), held.get("thread"));
    assertTrue(((List<?>) held.get("call_site")).get(0).toString()
        .startsWith(LeakDetectorTest.class.getName() + ".borrowHere("), held.toString());
    DataSourceKey key = hooks.keyOf(dataSource);
    assertEquals(1, detector.holdersNow(key).longest(5).size());

    hooks.connectionCloseExit(context, connection, hooks.connectionCloseEnter(context, connection));
    Map<String, ?> returned = awaitEvent(2).data();
    assertEquals("returned", returned.get("status"));
    assertTrue((Long) returned.get("held_ms") >= (Long) held.get("held_ms"));
    assertEquals(0, detector.holdersNow(key).longest(5).size());
    assertEquals(0, scheduler.getQueue().size(), "no check left behind");
  }

  @Test
  void aConnectionReturnedInTimeLeavesNothing() throws Exception {
    detector(60_000);
    for (int i = 0; i < 1000; i++) {
      Connection connection = borrowHere();
      hooks.connectionCloseExit(context, connection, hooks.connectionCloseEnter(context, connection));
    }
    assertEquals(0, scheduler.getQueue().size(), "every check was cancelled and removed");
    assertEquals(List.of(), events);
  }
}
