package dev.pulse.broadcaster.bench;

import dev.pulse.broadcaster.Broadcaster;
import dev.pulse.broadcaster.BroadcasterConfig;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The publishing side of a delivery-latency run with the clients in another process
 * ({@link DeliveryClients}): waits for N clients, then publishes about 300-byte events at a steady
 * rate, each carrying its publish time from the machine's monotonic clock (the same clock in every
 * process on Linux), spaced by parking as real publishers are, and exits.
 *
 * <p>Usage: DeliveryServer PORT CLIENTS [rate-per-second [seconds]] (defaults 1000 and 3).
 */
public final class DeliveryServer {
  private static final String PAD = "x".repeat(200);

  private DeliveryServer() {
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int clients = Integer.parseInt(args[1]);
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    try (Broadcaster broadcaster = Broadcaster.start(new BroadcasterConfig().port(port)
        .maxClients(1000).maxPendingBytesPerClient(64L * 1024 * 1024))) {
      System.out.println("listening on " + broadcaster.url());
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (broadcaster.clientCount() < clients && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(1000); // every client past its welcome
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime();
      long events = (long) rate * seconds;
      for (long n = 0; n < events; n++) {
        long wait = start + n * interval - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sent_nanos", System.nanoTime());
        data.put("n", n);
        data.put("pad", PAD);
        broadcaster.publish(Event.now(Channel.SYSTEM_ALERTS, "load", data));
      }
      Thread.sleep(3000); // the last ones delivered before the server goes away
    }
  }
}
