package dev.pulse.agent.system;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks heap, process CPU, each pool's saturation and the statement error rate against their
 * thresholds and publishes an {@code alert} when one fires and again when it resolves. Runs on the
 * agent's scheduler thread only, so its trackers need no locking.
 */
public final class AlertMonitor implements Runnable {
  private static final String HEAP = "heap";
  private static final String CPU = "cpu";
  private static final String ERRORS = "error_rate";
  private static final String POOL = "pool_saturation";
  private static final String DATABASE = "database_unreachable";

  private final Consumer<Event> publisher;
  private final RequestFigures requests;
  private final AlertThreshold pool;
  /** 1 is unreachable; it fires and clears on the same streaks as the others, always critical. */
  private final AlertThreshold database;
  private final Map<String, Reachability> reachabilities = new HashMap<>();
  private final int errorsMin;
  private final Map<String, AlertTracker> trackers = new LinkedHashMap<>();
  /** Made at the first check (the platform's beans are set up then, not at the agent's start). */
  private HeapOccupancy heapOccupancy;
  private final ProcessCpu cpu = new ProcessCpu();
  private final int cores = Runtime.getRuntime().availableProcessors();
  private long lastTotal;
  /** The failures counted in a check so far: one read before its statement waits for it. */
  private long countedFailures;
  private long lastCheckNanos = System.nanoTime();

  public AlertMonitor(Consumer<Event> publisher, RequestFigures requests, AlertThreshold heap,
      AlertThreshold cpu, AlertThreshold pool, AlertThreshold errors, int errorsMin) {
    this.publisher = publisher;
    this.requests = requests;
    this.pool = pool;
    this.database = new AlertThreshold(1, 50, pool.fireAfter(), pool.clearAfter(), 1);
    this.errorsMin = errorsMin;
    trackers.put(HEAP, new AlertTracker(heap));
    trackers.put(CPU, new AlertTracker(cpu));
    trackers.put(ERRORS, new AlertTracker(errors));
    RequestTotals totals = RequestTotals.read(requests);
    this.lastTotal = totals.statements;
    this.countedFailures = totals.failures;
  }

  @Override
  public void run() {
    checkHeap();
    checkCpu();
    checkErrorRate();
    checkPools();
  }

  private void checkHeap() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long limit = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
    if (heapOccupancy == null) {
      heapOccupancy = new HeapOccupancy();
    }
    double percent = 100.0 * heapOccupancy.usedBytes() / limit;
    check(HEAP, HEAP, percent, format("heap %.1f%% of %d MB in use after the latest collection",
        percent, limit / (1024 * 1024)), null);
  }

  private void checkCpu() {
    Double percent = cpu.sinceLastCall();
    if (percent != null) {
      check(CPU, CPU, percent, format("process CPU %.1f%% of %d cores", percent, cores),
          null);
    }
  }

  /** The share of statements that failed since the last check; too few statements count as 0. */
  private void checkErrorRate() {
    RequestTotals totals = RequestTotals.read(requests);
    long now = System.nanoTime();
    long statements = totals.statements - lastTotal;
    // a failure of a statement still running when read counts in the check that reads the
    // statement: an all-failing spell reads 100 %, never more or less
    long failures = Math.min(totals.failures - countedFailures, statements);
    double seconds = (now - lastCheckNanos) / 1e9;
    lastTotal = totals.statements;
    countedFailures += failures;
    lastCheckNanos = now;
    double percent = statements < errorsMin ? 0 : 100.0 * failures / statements;
    check(ERRORS, ERRORS, percent, format("error rate %.1f%%: %d of %d statements failed"
        + " in %.1f s", percent, failures, statements, seconds), null);
  }

  private void checkPools() {
    Set<String> open = new HashSet<>();
    for (PoolReading reading : requests.pools()) {
      String name = reading.name();
      open.add(name);
      check(trackerOf(POOL, name, pool), POOL, reading.utilization(), format("pool %s: %d of %d"
          + " connections in use, %d threads waiting", name, reading.active(), reading.maximum(),
          reading.waiting()), name);
      Reachability reachability = reachabilities.computeIfAbsent(name, key -> new Reachability());
      double unreachable = reachability.update(reading);
      check(trackerOf(DATABASE, name, database), DATABASE, unreachable, unreachable > 0
          ? format("pool %s: database unreachable (%s)", name, reachability.cause())
          : format("pool %s: database reachable, connections borrowed again", name), name);
    }
    reachabilities.keySet().retainAll(open);
    // a pool that closed with an alert up resolves it rather than leaving it firing forever
    for (Iterator<Map.Entry<String, AlertTracker>> it = trackers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, AlertTracker> entry = it.next();
      int colon = entry.getKey().indexOf(':');
      if (colon > 0 && !open.contains(entry.getKey().substring(colon + 1))) {
        String name = entry.getKey().substring(colon + 1);
        if (entry.getValue().firing()) {
          publish(entry.getKey(), entry.getKey().substring(0, colon), 0,
              entry.getValue().threshold(), false, "pool " + name + " closed", name);
        }
        it.remove();
      }
    }
  }

  private String trackerOf(String metric, String poolName, AlertThreshold threshold) {
    String id = metric + ":" + poolName;
    trackers.computeIfAbsent(id, key -> new AlertTracker(threshold));
    return id;
  }

  private void check(String id, String metric, double value, String reading, String poolName) {
    AlertTracker tracker = trackers.get(id);
    AlertThreshold threshold = tracker.threshold();
    boolean percent = !DATABASE.equals(metric);
    switch (tracker.update(value)) {
      case FIRED:
        publish(id, metric, value, threshold, true, reading + (percent ? ", at or over "
            + number(threshold.fireAt()) + "%" : "") + " for " + threshold.fireAfter() + " checks",
            poolName);
        break;
      case RESOLVED:
        publish(id, metric, value, threshold, false, reading + (percent ? ", under "
            + number(threshold.clearBelow()) + "%" : "") + " for " + threshold.clearAfter()
            + " checks", poolName);
        break;
      default:
        break;
    }
  }

  private void publish(String id, String metric, double value, AlertThreshold threshold,
      boolean firing, String message, String poolName) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("alert_id", id);
    data.put("severity", firing ? threshold.severity(value) : "info");
    data.put("metric", metric);
    data.put("value", Math.round(value * 10) / 10.0);
    data.put("threshold", threshold.fireAt());
    data.put("state", firing ? "firing" : "resolved");
    data.put("message", message);
    data.put("clear_below", Math.round(threshold.clearBelow() * 10) / 10.0);
    if (poolName != null) {
      data.put("pool_name", poolName);
    }
    publisher.accept(Event.stateNow(Channel.SYSTEM_ALERTS, "alert", "alert:" + id, data));
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : format("%.1f", value);
  }
}
