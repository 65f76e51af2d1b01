package dev.pulse.agent.system;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
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

  private final Consumer<Event> publisher;
  private final RequestFigures requests;
  private final AlertThreshold pool;
  private final int errorsMin;
  private final Map<String, AlertTracker> trackers = new LinkedHashMap<>();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final HeapOccupancy heapOccupancy = new HeapOccupancy();
  private final ProcessCpu cpu = new ProcessCpu();
  private final int cores = Runtime.getRuntime().availableProcessors();
  private long lastTotal;
  private long lastFailed;
  private long lastCheckNanos = System.nanoTime();

  public AlertMonitor(Consumer<Event> publisher, RequestFigures requests, AlertThreshold heap,
      AlertThreshold cpu, AlertThreshold pool, AlertThreshold errors, int errorsMin) {
    this.publisher = publisher;
    this.requests = requests;
    this.pool = pool;
    this.errorsMin = errorsMin;
    trackers.put(HEAP, new AlertTracker(heap));
    trackers.put(CPU, new AlertTracker(cpu));
    trackers.put(ERRORS, new AlertTracker(errors));
    this.lastTotal = requests.totalRequests();
    this.lastFailed = requests.failedRequests();
  }

  @Override
  public void run() {
    checkHeap();
    checkCpu();
    checkErrorRate();
    checkPools();
  }

  private void checkHeap() {
    MemoryUsage heap = memory.getHeapMemoryUsage();
    long limit = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
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
    long total = requests.totalRequests();
    long failed = requests.failedRequests();
    long now = System.nanoTime();
    long statements = total - lastTotal;
    long failures = failed - lastFailed;
    double seconds = (now - lastCheckNanos) / 1e9;
    lastTotal = total;
    lastFailed = failed;
    lastCheckNanos = now;
    double percent = statements < errorsMin ? 0 : 100.0 * failures / statements;
    check(ERRORS, ERRORS, percent, format("error rate %.1f%%: %d of %d statements failed"
        + " in %.1f s", percent, failures, statements, seconds), null);
  }

  private void checkPools() {
    Set<String> seen = new HashSet<>();
    for (PoolReading reading : requests.pools()) {
      String id = POOL + ":" + reading.name();
      seen.add(id);
      trackers.computeIfAbsent(id, key -> new AlertTracker(pool));
      check(id, POOL, reading.utilization(), format("pool %s: %d of %d connections in use,"
          + " %d threads waiting", reading.name(), reading.active(), reading.maximum(),
          reading.waiting()), reading.name());
    }
    // a pool that closed while saturated resolves its alert rather than leaving it firing forever
    for (Iterator<Map.Entry<String, AlertTracker>> it = trackers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, AlertTracker> entry = it.next();
      if (entry.getKey().startsWith(POOL + ":") && !seen.contains(entry.getKey())) {
        if (entry.getValue().firing()) {
          String name = entry.getKey().substring(POOL.length() + 1);
          publish(entry.getKey(), POOL, 0, entry.getValue().threshold(), false,
              "pool " + name + " closed", name);
        }
        it.remove();
      }
    }
  }

  private void check(String id, String metric, double value, String reading, String poolName) {
    AlertTracker tracker = trackers.get(id);
    AlertThreshold threshold = tracker.threshold();
    switch (tracker.update(value)) {
      case FIRED:
        publish(id, metric, value, threshold, true, format("%s, at or over %s%% for %d"
            + " checks", reading, number(threshold.fireAt()), threshold.fireAfter()), poolName);
        break;
      case RESOLVED:
        publish(id, metric, value, threshold, false, format("%s, under %s%% for %d checks",
            reading, number(threshold.clearBelow()), threshold.clearAfter()), poolName);
        break;
      default:
        break;
    }
  }

  private void publish(String id, String metric, double value, AlertThreshold threshold,
      boolean firing, String message, String poolName) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("alert_id", id);
    data.put("severity", severity(value, threshold, firing));
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

  /** Critical when the value is at least half-way from the threshold to 100%; info once resolved. */
  private static String severity(double value, AlertThreshold threshold, boolean firing) {
    if (!firing) {
      return "info";
    }
    return value >= (threshold.fireAt() + 100) / 2 ? "critical" : "warning";
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : format("%.1f", value);
  }
}
