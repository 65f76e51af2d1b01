package dev.pulse.broadcaster.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The receiving side of a delivery-latency run ({@link DeliveryServer}): N JDK WebSocket clients in
 * this process; each arrival is timed against the publish time the event carries. Prints the
 * latency percentiles once every client has every event, or after 60 s.
 *
 * <p>Usage: DeliveryClients URL CLIENTS EVENTS
 */
public final class DeliveryClients {
  private DeliveryClients() {
  }

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    int clients = Integer.parseInt(args[1]);
    long events = Long.parseLong(args[2]);
    HttpClient http = HttpClient.newHttpClient();
    List<BroadcastLoadHarness.Receiver> receivers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      BroadcastLoadHarness.Receiver receiver = new BroadcastLoadHarness.Receiver();
      http.newWebSocketBuilder().buildAsync(url, receiver).join();
      receivers.add(receiver);
    }
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (BroadcastLoadHarness.Receiver receiver : receivers) {
      while (receiver.received.get() < events && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    long[] latencies = receivers.stream().flatMapToLong(BroadcastLoadHarness.Receiver::latencies)
        .sorted().toArray();
    long received = receivers.stream().mapToLong(r -> r.received.get()).sum();
    System.out.printf(Locale.ROOT, "clients %d p50_ms %.3f p99_ms %.3f max_ms %.3f received %d of %d%n",
        clients, BroadcastLoadHarness.percentile(latencies, 0.50),
        BroadcastLoadHarness.percentile(latencies, 0.99),
        BroadcastLoadHarness.percentile(latencies, 1.0), received, events * clients);
    System.exit(0);
  }
}
