package dev.pulse.broadcaster.bench;

import dev.pulse.broadcaster.Broadcaster;
import dev.pulse.broadcaster.BroadcasterConfig;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * What the broadcaster's own thread spends per event at a steady, moderate rate with no client
 * (the case: one {@code search_completed} per search at about 1,700 searches a second),
 * and what a publish adds on the publishing thread (against the same loop that builds the events
 * and does not publish them). Events are spaced by parking, as real
 * publishers are (a search waits on the database between two events), not by spinning. CPU is
 * the JVM's per-thread figure (user + system).
 *
 * <p>Usage: DispatcherCostHarness [events-per-second [seconds]] (defaults 1700 and 10).
 */
public final class DispatcherCostHarness {
  private DispatcherCostHarness() {
  }

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1700;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Broadcaster broadcaster = Broadcaster.start(new BroadcasterConfig().port(0))) {
      publishAt(broadcaster, rate, 2, true); // warm-up; its first events start the thread
      Thread dispatcher = thread("pulse-broadcaster");
      long baselineBefore = threads.getCurrentThreadCpuTime();
      publishAt(broadcaster, rate, seconds, false);
      long baselineNanos = threads.getCurrentThreadCpuTime() - baselineBefore;
      long dispatcherBefore = threads.getThreadCpuTime(dispatcher.getId());
      long publisherBefore = threads.getCurrentThreadCpuTime();
      long events = publishAt(broadcaster, rate, seconds, true);
      long publisherNanos = threads.getCurrentThreadCpuTime() - publisherBefore;
      long dispatcherNanos = threads.getThreadCpuTime(dispatcher.getId()) - dispatcherBefore;
      System.out.printf(Locale.ROOT,
          "dispatcher %.2f us/event, publisher +%.2f us/publish, %d events at %d/s%n",
          dispatcherNanos / 1e3 / events, (publisherNanos - baselineNanos) / 1e3 / events,
          events, rate);
    }
  }

  /** With {@code publish} false, the same loop builds the events and drops them: the baseline. */
  private static long publishAt(Broadcaster broadcaster, int rate, int seconds, boolean publish) {
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long count = (long) rate * seconds;
    for (long n = 0; n < count; n++) {
      long wait = start + n * interval - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("query_id", "q-" + n);
      data.put("collection", "items");
      data.put("top_k", 10);
      data.put("search_time_ms", 0.42);
      data.put("results_count", 10);
      data.put("distance", "l2");
      data.put("ef_search", 40);
      data.put("probes", 1);
      data.put("recall_estimated", null);
      Event event = Event.now(Channel.VECTOR_SEARCH, "search_completed", data);
      if (publish) {
        broadcaster.publish(event);
      }
    }
    return count;
  }

  private static Thread thread(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
        .findFirst().orElseThrow(() -> new IllegalStateException("no thread " + name));
  }
}
