package dev.pulse.broadcaster.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The publishing side of a delivery-latency run, whatever server sends the events
 * ({@link DeliveryServer}, {@link PlainDeliveryServer}): waits for N clients, then hands over the
 * data of about 300-byte events at a steady rate, each carrying its publish time from the
 * machine's monotonic clock (the same clock in every process on Linux), spaced by parking as real
 * publishers are: first a warm-up (events marked {@code "warmup":true}, not timed by the clients:
 * both sides' code is compiled meanwhile), then the measured events. Prints the CPU each of the
 * JVM's threads used over the measured part.
 *
 * <p>Arguments: PORT CLIENTS [rate-per-second [measured-seconds [warm-up-seconds]]] (defaults
 * 1000, 10 and 5).
 */
final class DeliveryRun {
  private static final String PAD = "x".repeat(200);

  final int port;
  final int clients;
  private final int rate;
  private final int seconds;
  private final int warmupSeconds;

  DeliveryRun(String[] args) {
    port = Integer.parseInt(args[0]);
    clients = Integer.parseInt(args[1]);
    rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    warmupSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
  }

  /**
   * Waits (two minutes at most) until {@code connected} reaches the clients asked for, then hands
   * each event's data to {@code send} on this thread, warm-up first, and prints the threads' CPU
   * over the measured events.
   */
  void run(IntSupplier connected, Consumer<Map<String, Object>> send)
      throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (connected.getAsInt() < clients && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(1000); // every client past its welcome
    ThreadCpu.snapshot(); // its first call loads the management classes: not between the two parts
    publish(send, (long) rate * warmupSeconds, true);
    Map<String, Long> before = ThreadCpu.snapshot();
    long start = System.nanoTime();
    long events = (long) rate * seconds;
    publish(send, events, false);
    long wall = System.nanoTime() - start;
    ThreadCpu.print(before, ThreadCpu.snapshot(), wall, events);
    Thread.sleep(3000); // the last ones delivered before the server goes away
  }

  private void publish(Consumer<Map<String, Object>> send, long events, boolean warmup) {
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
      send.accept(data);
    }
  }
}
