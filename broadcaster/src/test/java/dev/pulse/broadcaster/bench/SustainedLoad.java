package dev.pulse.broadcaster.bench;

import dev.pulse.broadcaster.Broadcaster;
import dev.pulse.broadcaster.BroadcasterConfig;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many clients on loopback receiving the stream while one publisher publishes as fast as it can
 * for a while: messages per second delivered, delivery latency, drops, slow clients cut, and the
 * heap (after GC) and threads before and after. Every client checks that the seqs it receives
 * follow one another: the broadcaster numbers events as it sends them, so a dropped event leaves
 * no gap, and a gap would be a lost message.
 *
 * <p>Usage: SustainedLoad [clients [seconds]] (defaults 1000 and 60).
 */
public final class SustainedLoad {
  private static final String PAD = "x".repeat(200);

  private SustainedLoad() {
  }

  /** What one run measured. */
  public static final class Result {
    public int clients;
    public long seconds;
    public long published;
    public long delivered;
    public long dropped;
    public long slowClosed;
    public long gaps;
    public long openAtEnd;
    public double p50Millis;
    public double p99Millis;
    public long heapBeforeKb;
    public long heapAfterKb;
    public int threadsBefore;
    public int threadsAfter;

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d clients, %d s: published %,d (%,.0f/s), delivered %,d"
          + " (%,.0f msg/s), latency p50 %.1f ms p99 %.1f ms, dropped %,d, slow clients cut %d,"
          + " seq gaps %d, open at end %d; heap after GC %,d KB -> %,d KB, threads %d -> %d",
          clients, seconds, published, published / (double) seconds, delivered,
          delivered / (double) seconds, p50Millis, p99Millis, dropped, slowClosed, gaps, openAtEnd,
          heapBeforeKb, heapAfterKb, threadsBefore, threadsAfter);
    }
  }

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    long seconds = args.length > 1 ? Long.parseLong(args[1]) : 60;
    System.out.println(run(clients, seconds));
  }

  public static Result run(int clientCount, long seconds) throws Exception {
    Result result = new Result();
    result.clients = clientCount;
    result.seconds = seconds;
    result.heapBeforeKb = heapAfterGcKb();
    result.threadsBefore = Thread.activeCount();
    // the clients' threads are the harness's own, shut down at the end: only the server's count
    java.util.concurrent.ExecutorService clientThreads = java.util.concurrent.Executors.newFixedThreadPool(2);
    HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
    List<Receiver> receivers = new ArrayList<>();
    try (Broadcaster broadcaster = Broadcaster.start(new BroadcasterConfig().port(0)
        .maxClients(clientCount + 10).queueCapacity(10_000))) {
      for (int i = 0; i < clientCount; i++) {
        Receiver receiver = new Receiver();
        http.newWebSocketBuilder().buildAsync(URI.create(broadcaster.url()), receiver).join();
        receivers.add(receiver);
      }
      while (broadcaster.clientCount() < clientCount) {
        Thread.sleep(10);
      }
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong published = new AtomicLong();
      Thread publisher = new Thread(() -> {
        while (running.get()) {
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("sent_nanos", System.nanoTime());
          data.put("pad", PAD);
          broadcaster.publish(Event.now(Channel.SYSTEM_ALERTS, "load", data));
          published.incrementAndGet();
        }
      }, "load-publisher");
      publisher.start();
      TimeUnit.SECONDS.sleep(seconds);
      running.set(false);
      publisher.join();
      Thread.sleep(2000); // what is on its way arrives
      result.published = published.get();
      result.dropped = broadcaster.droppedEvents();
      result.slowClosed = broadcaster.slowClientsClosed();
      result.openAtEnd = broadcaster.clientCount();
      for (Receiver receiver : receivers) {
        result.delivered += receiver.received.get();
        result.gaps += receiver.gaps.get();
      }
      long[] latencies = receivers.stream().flatMapToLong(r -> Arrays.stream(r.samples, 0,
          (int) Math.min(r.sampled.get(), r.samples.length))).sorted().toArray();
      result.p50Millis = BroadcastLoadHarness.percentile(latencies, 0.50);
      result.p99Millis = BroadcastLoadHarness.percentile(latencies, 0.99);
      CompletableFuture.allOf(receivers.stream().map(Receiver::close)
          .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
    receivers.clear();
    http = null;
    clientThreads.shutdownNow();
    System.gc(); // the HttpClient's selector thread ends once the client is collected
    Thread.sleep(2000);
    result.heapAfterKb = heapAfterGcKb();
    result.threadsAfter = Thread.activeCount();
    return result;
  }

  private static long heapAfterGcKb() throws InterruptedException {
    System.gc();
    Thread.sleep(100);
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
  }

  /** One client: counts messages, checks seqs follow one another, samples delivery latency. */
  private static final class Receiver implements WebSocket.Listener {
    final AtomicLong received = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong sampled = new AtomicLong();
    final long[] samples = new long[1 << 12];
    private final StringBuilder partial = new StringBuilder();
    private long lastSeq = -1;
    private WebSocket socket;

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      webSocket.request(Long.MAX_VALUE);
    }

    CompletableFuture<?> close() {
      return socket.isOutputClosed() ? CompletableFuture.completedFuture(null)
          : socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      long now = System.nanoTime();
      partial.append(data);
      if (last) {
        long sent = BroadcastLoadHarness.number(partial, "sent_nanos");
        if (sent >= 0) {
          long seq = BroadcastLoadHarness.number(partial, "seq");
          if (lastSeq >= 0 && seq != lastSeq + 1) {
            gaps.incrementAndGet();
          }
          lastSeq = seq;
          long n = received.incrementAndGet();
          if (n % 64 == 0) {
            long index = sampled.getAndIncrement();
            samples[(int) (index % samples.length)] = now - sent;
          }
        }
        partial.setLength(0);
      }
      return null;
    }
  }
}
