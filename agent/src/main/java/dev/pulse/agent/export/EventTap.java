package dev.pulse.agent.export;

import dev.pulse.broadcaster.Event;
import dev.pulse.log.PulseLog;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Hands the events the export follows to its own thread. On the publisher's thread (possibly the
 * application's): a type check and, for the few exported types, one non-blocking offer into a
 * bounded queue; when the queue is full the event is left out of the export (the stream still
 * carries it, and the metrics read at collection are unaffected). The thread parks on the queue while there is nothing to do.
 */
final class EventTap implements Consumer<Event> {
  private static final PulseLog LOG = PulseLog.forComponent("export");
  static final int CAPACITY = 4096;

  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Consumer<Event> consumer;
  private final Thread thread;

  EventTap(Consumer<Event> consumer) {
    this.consumer = consumer;
    this.thread = new Thread(this::drain, "pulse-export-events");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void accept(Event event) {
    if (EventLogs.eventName(event.type()) != null) {
      queue.offer(event);
    }
  }

  private void drain() {
    try {
      while (true) {
        Event event = queue.take();
        try {
          consumer.accept(event);
        } catch (RuntimeException e) {
          LOG.debug("export of a " + event.type() + " event failed", e);
        }
      }
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
    }
  }

  void stop() {
    thread.interrupt();
  }
}
