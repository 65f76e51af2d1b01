package dev.pulse.broadcaster.bench;

import dev.pulse.broadcaster.Broadcaster;
import dev.pulse.broadcaster.BroadcasterConfig;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;

/**
 * A delivery-latency run's server with the clients in another process ({@link DeliveryClients}):
 * the events of {@link DeliveryRun} published through Pulse's broadcaster. Prints the CPU each of
 * its threads used over the measured part, what was dropped, and exits.
 *
 * <p>Usage: DeliveryServer PORT CLIENTS [rate-per-second [measured-seconds [warm-up-seconds]]]
 * (defaults 1000, 10 and 5).
 */
public final class DeliveryServer {
  private DeliveryServer() {
  }

  public static void main(String[] args) throws Exception {
    DeliveryRun run = new DeliveryRun(args);
    try (Broadcaster broadcaster = Broadcaster.start(new BroadcasterConfig().port(run.port)
        .maxClients(Math.max(1000, run.clients)).maxPendingBytesPerClient(64L * 1024 * 1024))) {
      System.out.println("listening on " + broadcaster.url());
      run.run(broadcaster::clientCount,
          data -> broadcaster.publish(Event.now(Channel.SYSTEM_ALERTS, "load", data)));
      System.out.println("dropped " + broadcaster.droppedEvents() + " slow_clients_closed "
          + broadcaster.slowClientsClosed());
    }
  }
}
