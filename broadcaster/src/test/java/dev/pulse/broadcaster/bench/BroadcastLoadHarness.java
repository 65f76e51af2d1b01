package dev.pulse.broadcaster.bench;

import dev.pulse.broadcaster.Broadcaster;
import dev.pulse.broadcaster.BroadcasterConfig;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * Broadcast delivery latency and throughput to 1, 10 and 100 real WebSocket clients on loopback, in
 * one run. Latency: events at a steady rate, each carrying its publish time (System.nanoTime, same
 * JVM), each arrival timed. Throughput: a burst published as fast as possible, timed until every
 * client has every event. Events are about 300 bytes of JSON. The clients share the 2 cores with
 * the server, so the figures are a floor, not the server's ceiling.
 *
 * <p>Usage: BroadcastLoadHarness [latency-rate-per-second [burst-frames-in-total]]
 * (defaults 1000 and 400000).
 */
public final class BroadcastLoadHarness {
  private static final String PAD = "x".repeat(200);

  private BroadcastLoadHarness() {
  }

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    long burstFrames = args.length > 1 ? Long.parseLong(args[1]) : 400_000;
    System.out.printf(Locale.ROOT, "%-8s %10s %10s %10s %10s %16s %8s %8s%n", "clients",
        "rate/s", "p50 ms", "p99 ms", "max ms", "burst frames/s", "dropped", "closed");
    for (int clients : new int[] {1, 10, 100}) {
      run(clients, rate, burstFrames / clients);
    }
  }

  private static void run(int clientCount, int rate, long burstEvents) throws Exception {
    long latencyEvents = rate * 3L;
    try (Broadcaster broadcaster = Broadcaster.start(new BroadcasterConfig().port(0)
        .queueCapacity(1 << 20).maxClients(1000).maxPendingBytesPerClient(512L * 1024 * 1024))) {
      HttpClient http = HttpClient.newHttpClient();
      List<Receiver> receivers = new ArrayList<>();
      for (int i = 0; i < clientCount; i++) {
        Receiver receiver = new Receiver();
        http.newWebSocketBuilder().buildAsync(URI.create(broadcaster.url()), receiver).join();
        receivers.add(receiver);
      }
      Thread.sleep(500); // every client registered before the first event

      // 1. latency at a steady rate
      long start = System.nanoTime();
      long intervalNanos = 1_000_000_000L / rate;
      for (long n = 0; n < latencyEvents; n++) {
        long due = start + n * intervalNanos;
        while (System.nanoTime() < due) {
          Thread.onSpinWait();
        }
        publish(broadcaster, n);
      }
      awaitAll(receivers, latencyEvents);
      long[] latencies = receivers.stream().flatMapToLong(Receiver::latencies).sorted().toArray();

      // 2. throughput of a burst
      receivers.forEach(Receiver::reset);
      long burstStart = System.nanoTime();
      for (long n = 0; n < burstEvents; n++) {
        publish(broadcaster, n);
      }
      boolean all = awaitAll(receivers, burstEvents);
      long burstNanos = System.nanoTime() - burstStart;
      long delivered = receivers.stream().mapToLong(r -> r.received.get()).sum();
      System.out.printf(Locale.ROOT, "%-8d %10d %10.3f %10.3f %10.3f %16.0f %8d %8d%s%n",
          clientCount, rate, percentile(latencies, 0.50), percentile(latencies, 0.99),
          percentile(latencies, 1.0), delivered * 1e9 / burstNanos, broadcaster.droppedEvents(),
          broadcaster.slowClientsClosed(), all ? "" : "  (incomplete after 120 s)");
    }
  }

  private static void publish(Broadcaster broadcaster, long n) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("sent_nanos", System.nanoTime());
    data.put("n", n);
    data.put("pad", PAD);
    broadcaster.publish(Event.now(Channel.SYSTEM_ALERTS, "load", data));
  }

  private static boolean awaitAll(List<Receiver> receivers, long each) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (Receiver receiver : receivers) {
      while (receiver.received.get() < each) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(1);
      }
    }
    return true;
  }

  /** The quantile of sorted nanosecond values, in milliseconds. */
  static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  /**
   * The non-negative whole number a stream frame carries in {@code field}, or -1 where it has none;
   * read in place, so that the clients spend their time receiving, not parsing.
   */
  static long number(StringBuilder frame, String field) {
    String key = "\"" + field + "\":";
    int at = frame.indexOf(key);
    if (at < 0) {
      return -1;
    }
    long value = 0;
    for (int i = at + key.length(); i < frame.length() && Character.isDigit(frame.charAt(i)); i++) {
      value = value * 10 + (frame.charAt(i) - '0');
    }
    return value;
  }

  /** One client: counts events and records each one's delivery latency, reading only its number. */
  static final class Receiver implements WebSocket.Listener {
    final AtomicLong received = new AtomicLong();
    private final long[] latencies = new long[1 << 16];
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    void reset() {
      received.set(0);
    }

    LongStream latencies() {
      return Arrays.stream(latencies, 0, (int) Math.min(received.get(), latencies.length));
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      long now = System.nanoTime();
      partial.append(data);
      if (last) {
        long sent = number(partial, "sent_nanos");
        if (sent >= 0) {
          long index = received.getAndIncrement();
          if (index < latencies.length) {
            latencies[(int) index] = now - sent;
          }
        }
        partial.setLength(0);
      }
      return null;
    }
  }
}
