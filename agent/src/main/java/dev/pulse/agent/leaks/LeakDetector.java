package dev.pulse.agent.leaks;

import dev.pulse.agent.callsite.CallSites;
import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.JdbcListener;
import dev.pulse.agent.instrumentation.WeakIdentityTable;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Connections held longer than {@code leak.threshold}, as HikariCP's leakDetectionThreshold finds
 * them, for any DataSource: each borrow notes its thread and a stack, and schedules one check at
 * borrow + threshold on the agent's scheduler, cancelled at the return, so nothing polls. A check
 * that finds the connection still out publishes {@code connection_leak} (held) with the call site
 * of the borrow; the return of such a connection publishes it again (returned). Registered only
 * when the setting is on: off, a borrow costs nothing more.
 */
public final class LeakDetector implements JdbcListener {
  /** Borrows followed at once per DataSource; past this (a driver without a pool) not followed. */
  static final int MAX_HELD = 1024;
  private static final int MAX_CONNECTIONS = 1 << 16;

  private final long thresholdNanos;
  private final ScheduledExecutorService scheduler;
  private final Consumer<Event> publisher;
  private final Function<DataSourceKey, String> poolNames;
  /** The application's connection, weakly, to its lease. */
  private final WeakIdentityTable<Lease> leases = new WeakIdentityTable<>(MAX_CONNECTIONS);
  private final ConcurrentHashMap<DataSourceKey, Set<Lease>> held = new ConcurrentHashMap<>();

  public LeakDetector(long thresholdNanos, ScheduledExecutorService scheduler,
      Consumer<Event> publisher, Function<DataSourceKey, String> poolNames) {
    this.thresholdNanos = thresholdNanos;
    this.scheduler = scheduler;
    this.publisher = publisher;
    this.poolNames = poolNames;
  }

  @Override
  public void connectionBorrowed(DataSourceKey source, Object connection, Object physical,
      long borrowedNanos) {
    Set<Lease> out = held.get(source);
    if (out == null) {
      out = held.computeIfAbsent(source, key -> ConcurrentHashMap.newKeySet());
    }
    if (out.size() >= MAX_HELD) {
      return;
    }
    // the stack's frames are resolved only if this lease is reported (Throwable's lazy backtrace)
    Lease lease = new Lease(source, Thread.currentThread().getName(), System.nanoTime(),
        new Throwable());
    if (!leases.put(connection, lease)) {
      return;
    }
    out.add(lease);
    lease.check = scheduler.schedule(() -> overdue(lease), thresholdNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void connectionClosed(Object connection, Object physical) {
    Lease lease = leases.get(connection);
    if (lease == null) {
      return;
    }
    leases.remove(connection);
    Set<Lease> out = held.get(lease.source);
    if (out != null) {
      out.remove(lease);
    }
    java.util.concurrent.ScheduledFuture<?> check = lease.check;
    if (check != null) {
      check.cancel(false);
    }
    if (lease.state.getAndSet(Lease.RETURNED) == Lease.REPORTED) {
      long returned = System.nanoTime();
      scheduler.execute(() -> publish(lease, "returned", lease.heldMillis(returned)));
    }
  }

  private void overdue(Lease lease) {
    if (lease.state.compareAndSet(Lease.HELD, Lease.REPORTED)) {
      publish(lease, "held", lease.heldMillis(System.nanoTime()));
    }
  }

  private void publish(Lease lease, String status, long heldMillis) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("pool_name", poolNames.apply(lease.source));
    data.put("thread", lease.thread);
    data.put("held_ms", heldMillis);
    data.put("call_site", CallSites.of(lease.borrowedAt.getStackTrace()));
    data.put("status", status);
    data.put("threshold_ms", thresholdNanos / 1_000_000);
    publisher.accept(Event.now(Channel.DB_POOL_STATS, "connection_leak", data));
  }

  /** Who holds this DataSource's connections now: a copy of its leases, cheap to take. */
  public Holders holdersNow(DataSourceKey source) {
    Set<Lease> out = held.get(source);
    return new Holders(out == null ? new Lease[0] : out.toArray(new Lease[0]), System.nanoTime());
  }

  /** The connections held at one moment. */
  public static final class Holders {
    private final Lease[] leases;
    private final long at;

    Holders(Lease[] leases, long at) {
      this.leases = leases;
      this.at = at;
    }

    /** The {@code limit} held longest, longest first, with where they were borrowed. */
    public List<Map<String, Object>> longest(int limit) {
      List<Lease> sorted = new ArrayList<>(List.of(leases));
      sorted.sort(Comparator.comparingLong(lease -> lease.borrowedNanos));
      List<Map<String, Object>> holders = new ArrayList<>();
      for (Lease lease : sorted.subList(0, Math.min(limit, sorted.size()))) {
        Map<String, Object> holder = new LinkedHashMap<>();
        holder.put("thread", lease.thread);
        holder.put("held_ms", lease.heldMillis(at));
        holder.put("call_site", CallSites.of(lease.borrowedAt.getStackTrace()));
        holders.add(holder);
      }
      return holders;
    }
  }
}
