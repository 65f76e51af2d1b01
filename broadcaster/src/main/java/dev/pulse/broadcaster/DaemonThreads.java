package dev.pulse.broadcaster;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads the agent starts must never keep the host's JVM alive. */
final class DaemonThreads {
  private DaemonThreads() {
  }

  static ExecutorService executor(String name) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }
}
