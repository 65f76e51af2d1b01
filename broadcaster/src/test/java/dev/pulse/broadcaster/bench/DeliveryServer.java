package dev.pulse.broadcaster.bench;

import dev.pulse.broadcaster.Broadcaster;
import dev.pulse.broadcaster.BroadcasterConfig;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The publishing side of a delivery-latency run with the clients in another process
 * ({@link DeliveryClients}): waits for N clients, then publishes about 300-byte events at a steady
 * rate, each carrying its publish time from the machine's monotonic clock (the same clock in every
 * process on Linux), spaced by parking as real publishers are: first a warm-up (events marked
 * {@code "warmup":true}, not timed by the clients: both sides' code is compiled meanwhile), then
 * the measured events. Prints the CPU each of its threads used over the measured part, and exits.
 *
 * <p>Usage: DeliveryServer PORT CLIENTS [rate-per-second [measured-seconds [warm-up-seconds]]]
 * (defaults 1000, 10 and 5).
 */
public final class DeliveryServer {
  private static final String PAD = "x".repeat(200);

  private DeliveryServer() {
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int clients = Integer.parseInt(args[1]);
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int warmupSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    try (Broadcaster broadcaster = Broadcaster.start(new BroadcasterConfig().port(port)
        .maxClients(Math.max(1000, clients)).maxPendingBytesPerClient(64L * 1024 * 1024))) {
      System.out.println("listening on " + broadcaster.url());
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (broadcaster.clientCount() < clients && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(1000); // every client past its welcome
      threadCpu(); // its first call loads the management classes: not between the two parts
      publish(broadcaster, rate, (long) rate * warmupSeconds, true);
      Map<String, Long> before = threadCpu();
      long start = System.nanoTime();
      publish(broadcaster, rate, (long) rate * seconds, false);
      long wall = System.nanoTime() - start;
      Map<String, Long> after = threadCpu();
      after.forEach((name, cpu) -> {
        long used = cpu - before.getOrDefault(name, 0L);
        if (used > wall / 1000) {
          System.out.printf(Locale.ROOT, "cpu %-28s %6.1f %% of a core, %8.2f us per event%n",
              name, 100.0 * used / wall, used / 1e3 / ((long) rate * seconds));
        }
      });
      Thread.sleep(3000); // the last ones delivered before the server goes away
      System.out.println("dropped " + broadcaster.droppedEvents() + " slow_clients_closed "
          + broadcaster.slowClientsClosed());
    }
  }

  private static void publish(Broadcaster broadcaster, int rate, long events, boolean warmup) {
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (long n = 0; n < events; n++) {
      long wait = start + n * interval - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("sent_nanos", System.nanoTime());
      data.put("n", n);
      data.put("warmup", warmup);
      data.put("pad", PAD);
      broadcaster.publish(Event.now(Channel.SYSTEM_ALERTS, "load", data));
    }
  }

  /** CPU time so far of each live thread, by name (digits dropped: one pool, one line). */
  private static Map<String, Long> threadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byName = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu > 0) {
          byName.merge(info.getThreadName().replaceAll("[0-9]+", ""), cpu, Long::sum);
        }
      }
    }
    return byName;
  }
}
