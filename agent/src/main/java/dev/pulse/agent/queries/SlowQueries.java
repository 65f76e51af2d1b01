package dev.pulse.agent.queries;

import dev.pulse.agent.callsite.CallSites;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Publishes {@code slow_query} for a statement over the threshold, with the application's call
 * site. The stack is taken on the thread that ran the statement, and only when the statement was
 * slow and its shape had no report within the last {@link #GAP_NANOS}; it is read here, on the
 * agent's thread.
 */
final class SlowQueries {
  /** At most one slow_query per shape and pool in this time; the others are counted in the next. */
  static final long GAP_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final long thresholdNanos;
  private final Consumer<Event> publisher;

  /** {@code thresholdNanos}: 0 turns slow statements off. */
  SlowQueries(long thresholdNanos, Consumer<Event> publisher) {
    this.thresholdNanos = thresholdNanos;
    this.publisher = publisher;
  }

  boolean isSlow(long elapsedNanos) {
    return thresholdNanos > 0 && elapsedNanos >= thresholdNanos;
  }

  /** Agent's thread. */
  void report(String poolName, ShapeStats shape, long elapsedNanos, long rows, String thread,
      StackTraceElement[] stack, long startedAtMillis) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("pool_name", poolName);
    data.put("shape_id", shape.id);
    data.put("sql", shape.sql);
    data.put("time_ms", Math.round(elapsedNanos / 1e3) / 1e3);
    data.put("rows", rows < 0 ? null : rows);
    data.put("thread", thread);
    data.put("call_site", CallSites.of(stack));
    data.put("threshold_ms", thresholdNanos / 1_000_000);
    data.put("held_back", shape.takeSlowHeldBack());
    publisher.accept(new Event(Channel.DB_POOL_STATS, "slow_query", data, startedAtMillis, null));
  }
}
