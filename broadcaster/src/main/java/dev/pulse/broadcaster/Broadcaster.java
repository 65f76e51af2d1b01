package dev.pulse.broadcaster;

import dev.pulse.log.PulseLog;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.java_websocket.framing.CloseFrame;

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

  private static final long MAX_RESTART_WAIT_MILLIS = 30_000;

  private final BroadcasterConfig config;
  private final Dispatcher dispatcher;
  private final RefusalLog refusals;
  private final AtomicLong slowCuts;
  private final SSLContext tls;
  private final boolean listening;
  private volatile StreamServer server;
  private volatile boolean closed;

  private Broadcaster(BroadcasterConfig config, Dispatcher dispatcher, RefusalLog refusals,
      AtomicLong slowCuts, SSLContext tls, boolean listening) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.refusals = refusals;
    this.slowCuts = slowCuts;
    this.tls = tls;
    this.listening = listening;
  }

  /**
   * Starts the server (the dispatcher's thread starts with its first work); waits on the calling
   * thread until it is bound or failed.
   */
  public static Broadcaster start(BroadcasterConfig config) {
    Dispatcher dispatcher = new Dispatcher(config); // its thread starts with its first work
    RefusalLog refusals = new RefusalLog(LOG, config.refusalLogIntervalMillis());
    AtomicLong slowCuts = new AtomicLong();
    String where = config.host() + ":" + config.port();
    SSLContext tls = null;
    if (config.tls()) {
      try {
        tls = TlsContexts.fromKeystore(config.tlsKeystore(), config.tlsPassword());
      } catch (Exception e) {
        LOG.error("cannot load the TLS keystore " + config.tlsKeystore() + ": " + e.getMessage()
            + "; the stream is off, the application is unaffected");
        return new Broadcaster(config, dispatcher, refusals, slowCuts, null, false);
      }
    }
    Broadcaster[] self = new Broadcaster[1];
    StreamServer server = new StreamServer(config, dispatcher, tls, refusals, slowCuts,
        () -> {
          if (self[0] != null) {
            self[0].restartSoon();
          }
        });
    server.start();
    boolean listening = awaitStarted(server);
    if (!listening) {
      Exception failure = server.startFailure();
      LOG.error("cannot listen on " + where + ": "
          + (failure == null ? "no answer in " + START_TIMEOUT_MILLIS + " ms" : failure.getMessage())
          + "; the stream is off, the application is unaffected (choose another port with port=...)");
      stopQuietly(server, 1000);
      return new Broadcaster(config, dispatcher, refusals, slowCuts, tls, false);
    }
    self[0] = new Broadcaster(config, dispatcher, refusals, slowCuts, tls, true);
    self[0].server = server;
    // Java-WebSocket's liveness checker wakes every ping interval: only while someone is connected
    Broadcaster running = self[0];
    dispatcher.watchAudience(clients -> {
      StreamServer current = running.server;
      if (current != null) {
        current.pingWhileConnected(clients);
      }
    });
    warnWhenExposed(config);
    return self[0];
  }

  /**
   * Exposed beyond this machine with no token, anyone who reaches it reads the stream: allowed
   * (a trusted network is the operator's call) but never silent.
   */
  private static void warnWhenExposed(BroadcasterConfig config) {
    if (config.token() == null && !AccessRules.isLoopbackAddress(config.host())) {
      LOG.warn("the stream listens on " + config.host() + ", beyond this machine, WITHOUT A TOKEN:"
          + " anyone who can reach this address can read every event. Set token=... (and"
          + " tls.keystore=... across a network), or host=127.0.0.1.");
    }
  }

  private static boolean awaitStarted(StreamServer server) {
    try {
      return server.awaitStarted(START_TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** On a thread of its own: the dead listener's thread may carry the interrupt that ended it. */
  private void restartSoon() {
    Thread thread = new Thread(this::restart, "pulse-stream-restart");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Its clients are cut (they reconnect and resume) and a new
   * listener is started on the same port, waiting longer after each failed try.
   */
  private void restart() {
    StreamServer dead = server;
    int port = dead.getPort();
    for (org.java_websocket.WebSocket client : dead.getConnections()) {
      client.closeConnection(CloseFrame.ABNORMAL_CLOSE, "the stream's listener restarted");
    }
    long wait = 100;
    while (!closed) {
      StreamServer next = new StreamServer(config.port(port), dispatcher, tls, refusals, slowCuts,
          this::restartSoon);
      next.start();
      if (awaitStarted(next)) {
        server = next;
        LOG.warn("the stream's listener is back on port " + port);
        return;
      }
      stopQuietly(next, 1000);
      LOG.error("the stream's listener cannot start again on port " + port + " ("
          + next.startFailure() + "); next try in " + wait + " ms");
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        return;
      }
      wait = Math.min(MAX_RESTART_WAIT_MILLIS, wait * 2);
    }
  }

  /**
   * Never blocks, never throws; the first batch of events (or the first client) starts the
   * broadcaster's own thread, built beforehand on the agent's thread.
   */
  public void publish(Event event) {
    dispatcher.publish(event);
  }

  /**
   * {@code watcher} is told whether any client is connected, when the broadcaster's thread next
   * runs and then at every change between none and some (it starts from "no client"), on the
   * broadcaster's thread: it must return at once. Lets a publisher skip work that only a client
   * would read.
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

  /**
   * ws://host:port/ or wss://host:port/ when listening, else null: the address really bound
   * (0.0.0.0 when every interface, 127.0.0.1 for localhost).
   */
  public String url() {
    if (!listening) {
      return null;
    }
    java.net.InetAddress bound = server.getAddress().getAddress();
    String host = bound == null ? config.host() : bound.getHostAddress();
    return (config.tls() ? "wss://" : "ws://") + (host.contains(":") ? "[" + host + "]" : host)
        + ":" + port() + "/";
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

  /** Clients closed for not reading: by the dispatcher, or cut as a frame was queued. */
  public long slowClientsClosed() {
    return dispatcher.slowClientsClosed() + slowCuts.get();
  }

  public int clientCount() {
    return dispatcher.clientCount();
  }

  @Override
  public void close() {
    closed = true;
    StreamServer server = this.server;
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
    closed = true;
    StreamServer server = this.server;
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
