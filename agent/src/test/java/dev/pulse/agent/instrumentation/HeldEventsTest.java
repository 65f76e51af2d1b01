package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * While the agent's start registers its listeners, an event of a class woven meanwhile waits on
 * its own thread, then goes to every listener registered by the release: none lost, none seen by
 * only the features built first. After the release events go straight to the listeners; a start
 * that failed half-way drops them, and no event waits any longer.
 */
class HeldEventsTest {
  private static final long DEADLINE_MILLIS = 30_000;

  private final Hooks hooks = new Hooks();

  private static final class Counting implements JdbcListener, HikariListener {
    final AtomicInteger executed = new AtomicInteger();
    final AtomicInteger pools = new AtomicInteger();

    @Override
    public void statementExecuted(StatementEvent event) {
      executed.incrementAndGet();
    }

    @Override
    public void poolSeen(Object pool, Object config) {
      pools.incrementAndGet();
    }
  }

  @Test
  void anEventWhileHeldWaitsThenReachesEveryListenerRegisteredMeanwhile() throws Exception {
    hold();
    Counting first = new Counting();
    hooks.add((JdbcListener) first);
    Host host = new Host(() -> {
      execute();
      return null;
    });
    host.awaitWaiting();
    assertEquals(0, first.executed.get(), "not before every listener is there");
    Counting second = new Counting();
    hooks.add((JdbcListener) second);
    hooks.release(true);
    host.result();
    assertEquals(1, first.executed.get());
    assertEquals(1, second.executed.get(), "registered after the event, before the release");
    execute(); // released: straight to them
    assertEquals(2, first.executed.get());
    assertEquals(2, second.executed.get());
  }

  @Test
  void aPoolEventWaitsToo() throws Exception {
    hold();
    Host host = new Host(() -> {
      hooks.hikariPoolSeen(new Object(), new Object());
      return null;
    });
    host.awaitWaiting();
    Counting pools = new Counting();
    hooks.add((HikariListener) pools);
    hooks.release(true);
    host.result();
    assertEquals(1, pools.pools.get());
  }

  @Test
  void aBorrowWhileHeldIsDecidedByTheGatesRegisteredMeanwhile() throws Exception {
    hold();
    Object dataSource = new Object();
    Host host = new Host(() -> hooks.acquireGate(new CallContext(), dataSource));
    host.awaitWaiting();
    IllegalStateException failFast = new IllegalStateException("fail fast");
    hooks.add((AcquireGate) source -> failFast);
    hooks.release(true);
    assertSame(failFast, host.result());
  }

  @Test
  void aBorrowsWaitIsTimedFromTheReleaseNotFromItsCall() throws Exception {
    hold();
    AtomicLong timedFrom = new AtomicLong();
    hooks.add(new JdbcListener() {
      @Override
      public void connectionAcquired(DataSourceKey source, long waitNanos, long endNanos,
          Throwable failure) {
        timedFrom.set(endNanos - waitNanos);
      }
    });
    Object dataSource = new Object();
    Host host = new Host(() -> {
      CallContext context = new CallContext();
      long start = hooks.acquireEnter(context);
      Object blocked = hooks.acquireGate(context, dataSource);
      hooks.acquireExit(context, start, dataSource, null, null, blocked != null);
      return null;
    });
    host.awaitWaiting();
    long releasedAt = System.nanoTime();
    hooks.release(true);
    host.result();
    assertTrue(timedFrom.get() >= releasedAt,
        "the wait for the agent's start was counted as the pool's: from "
            + (releasedAt - timedFrom.get()) / 1_000_000 + " ms before the release");
  }

  @Test
  void aStartThatFailedHalfWayDropsTheEventsAndHoldsNothingMore() throws Exception {
    hold();
    Counting partial = new Counting();
    hooks.add((JdbcListener) partial);
    Host host = new Host(() -> {
      execute();
      return null;
    });
    host.awaitWaiting();
    hooks.release(false);
    host.result();
    execute();
    assertEquals(0, partial.executed.get(), "the listeners of a failed start get nothing");
    Counting later = new Counting();
    hooks.add((JdbcListener) later); // a later start (an attach) listens at once
    execute();
    assertEquals(1, later.executed.get());
  }

  @Test
  void withoutHoldListenersListenAtOnce() {
    Counting counting = new Counting();
    hooks.add((JdbcListener) counting);
    execute();
    assertEquals(1, counting.executed.get());
    hooks.release(true); // not holding: nothing changes
    execute();
    assertEquals(2, counting.executed.get());
  }

  private void hold() {
    hooks.hold(new StartRelease(StartRelease.MAX_WAIT_NANOS, () -> { }));
  }

  /** One statement executed on the calling thread, as the advice reports it. */
  private void execute() {
    CallContext context = new CallContext();
    long start = hooks.statementEnter(context);
    hooks.statementExit(context, start, new Object(), "SELECT 1", null, null);
  }

  /** A host thread raising one event. */
  private static final class Host {
    private final CompletableFuture<Object> result = new CompletableFuture<>();
    private final Thread thread;

    Host(Supplier<Object> event) {
      thread = new Thread(() -> {
        try {
          result.complete(event.get());
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      }, "host-thread");
      thread.setDaemon(true);
      thread.start();
    }

    /** Until the thread waits for the release; it must not have finished. */
    void awaitWaiting() throws InterruptedException {
      long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
      while (thread.getState() != Thread.State.TIMED_WAITING) {
        assertFalse(result.isDone(), "the event went before the release");
        assertTrue(System.currentTimeMillis() < deadline, "never waited for the release");
        Thread.sleep(5);
      }
      assertFalse(result.isDone(), "the event went before the release");
    }

    Object result() throws Exception {
      return result.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}
