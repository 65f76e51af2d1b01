package dev.pulse.broadcaster;

import dev.pulse.log.PulseLog;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Publishes events to WebSocket clients as the contract's JSON envelopes.
 *
 * <p>{@link #publish(Event)} is safe to call from any application thread: it puts the event on a
 * bounded lock-free queue (dropping and counting the oldest when full) and returns; serialization,
 * history, snapshots and network writes all happen on the broadcaster's own daemon thread.
 *
 * <p>Starting never throws for a busy port or bad TLS material: the failure is logged once and the
 * broadcaster keeps accepting (and discarding into its history) events, so the host is unaffected.
 */
public final class Broadcaster implements AutoCloseable {
  private static final PulseLog LOG = PulseLog.forComponent("broadcaster");
  private static final long START_TIMEOUT_MILLIS = 10_000;

  private final BroadcasterConfig config;
  private final Dispatcher dispatcher;
  private final StreamServer server;
  private final boolean listening;

  private Broadcaster(BroadcasterConfig config, Dispatcher dispatcher, StreamServer server,
      boolean listening) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.server = server;
    this.listening = listening;
  }

  /** Starts the dispatcher and the server; waits on the calling thread until it is bound or failed. */
  public static Broadcaster start(BroadcasterConfig config) {
    Dispatcher dispatcher = new Dispatcher(config);
    dispatcher.start();
    String where = config.host() + ":" + config.port();
    SSLContext tls = null;
    if (config.tls()) {
      try {
        tls = TlsContexts.fromKeystore(config.tlsKeystore(), config.tlsPassword());
      } catch (Exception e) {
        LOG.error("cannot load the TLS keystore " + config.tlsKeystore() + ": " + e.getMessage()
            + "; the stream is off, the application is unaffected");
        return new Broadcaster(config, dispatcher, null, false);
      }
    }
    StreamServer server = new StreamServer(config, dispatcher, tls);
    server.start();
    boolean listening;
    try {
      listening = server.awaitStarted(START_TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listening = false;
    }
    if (!listening) {
      Exception failure = server.startFailure();
      LOG.error("cannot listen on " + where + ": "
          + (failure == null ? "no answer in " + START_TIMEOUT_MILLIS + " ms" : failure.getMessage())
          + "; the stream is off, the application is unaffected (choose another port with port=...)");
      stopQuietly(server, 1000);
      return new Broadcaster(config, dispatcher, null, false);
    }
    // Java-WebSocket's liveness checker wakes every ping interval: only while someone is connected
    dispatcher.watchAudience(server::pingWhileConnected);
    return new Broadcaster(config, dispatcher, server, true);
  }

  /** Never blocks, never throws, never starts a thread. */
  public void publish(Event event) {
    dispatcher.publish(event);
  }

  /**
   * {@code watcher} is told whether any client is connected, at once and then at every change
   * between none and some, on the broadcaster's thread: it must return at once. Lets a publisher
   * skip work that only a client would read.
   */
  public void watchAudience(Consumer<Boolean> watcher) {
    dispatcher.watchAudience(watcher);
  }

  public boolean isListening() {
    return listening;
  }

  /** The port actually bound (useful with port 0), or -1 when not listening. */
  public int port() {
    return listening ? server.getPort() : -1;
  }

  /** ws://host:port/ or wss://host:port/ when listening, else null. */
  public String url() {
    return listening ? (config.tls() ? "wss://" : "ws://") + hostForUrl() + ":" + port() + "/" : null;
  }

  private String hostForUrl() {
    String host = config.host();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  public String serverId() {
    return dispatcher.serverId();
  }

  public long publishedEvents() {
    return dispatcher.published();
  }

  public long droppedEvents() {
    return dispatcher.dropped();
  }

  public long slowClientsClosed() {
    return dispatcher.slowClientsClosed();
  }

  public int clientCount() {
    return dispatcher.clientCount();
  }

  @Override
  public void close() {
    if (server != null) {
      stopQuietly(server, 1000);
    }
    dispatcher.stop();
  }

  /**
   * For the JVM's exit: stops listening and tells the clients 1001 (going away), waiting no more
   * than a few milliseconds. Left blocked in its selector, the server's thread would hold the exit
   * for 300 ms (HotSpot waits that long for threads in native code); the dispatcher is left alone,
   * its thread only parks.
   */
  public void closeAtExit() {
    if (server != null) {
      stopQuietly(server, 100);
    }
  }

  private static void stopQuietly(StreamServer server, int timeoutMillis) {
    try {
      server.stop(timeoutMillis); // never the no-argument stop(): it can wait forever
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
