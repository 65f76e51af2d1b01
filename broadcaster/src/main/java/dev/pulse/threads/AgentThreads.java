package dev.pulse.threads;

/** Threads of the agent's own: never keeping the host's JVM alive, never carrying its context. */
public final class AgentThreads {
  private AgentThreads() {
  }

  /**
   * A daemon thread, not started, that inherits no inheritable thread-local of the thread building
   * it and has the agent's class loader as its context loader. Build it on an agent thread (its
   * access context is taken here); it may then be started from any thread
   * ({@link ParkingSignal}).
   */
  public static Thread unstarted(String name, Runnable body) {
    Thread thread = new Thread(null, body, name, 0, false);
    thread.setDaemon(true);
    thread.setContextClassLoader(AgentThreads.class.getClassLoader());
    return thread;
  }
}
