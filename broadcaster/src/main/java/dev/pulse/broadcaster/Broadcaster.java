package dev.pulse.broadcaster;

import dev.pulse.log.PulseLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
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
  /** A listener that ran this long before it ended is restarted at once. */
  private static final long STEADY_NANOS = 10_000_000_000L;

  private final BroadcasterConfig config;
  private final Dispatcher dispatcher;
  private final RefusalLog refusals;
  private final AtomicLong slowCuts;
  private final SSLContext tls;
  /** Where the stream listens, or null when it could not. */
  private final InetSocketAddress bound;
  private final WaitingListener waiting;
  /** Null until the first client comes. */
  private volatile StreamServer server;
  private volatile boolean closed;
  private long serverStartedNanos; // guarded by this
  private long startWaitMillis; // guarded by this

  private Broadcaster(BroadcasterConfig config, Dispatcher dispatcher, RefusalLog refusals,
      AtomicLong slowCuts, SSLContext tls, InetSocketAddress requested, WaitingListener waiting) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.refusals = refusals;
    this.slowCuts = slowCuts;
    this.tls = tls;
    this.waiting = waiting;
    // the address asked for (0.0.0.0 stays itself; a dual-stack socket would say ::)
    this.bound = waiting == null ? null
        : new InetSocketAddress(requested.getAddress(), waiting.port());
  }

  /**
   * Binds the stream's port on the calling thread (the dispatcher's thread starts with its first
   * work); the WebSocket server starts with the first client ({@link WaitingListener}).
   */
  public static Broadcaster start(BroadcasterConfig config) {
    if (config.maxFrameBytes() < 1) { // the server's draft refuses it, at the first client
      throw new IllegalArgumentException("the frame limit must be at least 1 byte: "
          + config.maxFrameBytes());
    }
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
        return new Broadcaster(config, dispatcher, refusals, slowCuts, null, null, null);
      }
    }
    InetSocketAddress requested = new InetSocketAddress(config.host(), config.port());
    WaitingListener waiting;
    try {
      waiting = WaitingListener.bind(requested);
    } catch (IOException | RuntimeException e) {
      LOG.error("cannot listen on " + where + ": " + e.getMessage()
          + "; the stream is off, the application is unaffected (choose another port with port=...)");
      return new Broadcaster(config, dispatcher, refusals, slowCuts, tls, null, null);
    }
    Broadcaster broadcaster = new Broadcaster(config, dispatcher, refusals, slowCuts, tls,
        requested, waiting);
    // Java-WebSocket's liveness checker wakes every ping interval: only while someone is connected
    dispatcher.watchAudience(clients -> {
      StreamServer current = broadcaster.server;
      if (current != null) {
        current.pingWhileConnected(clients);
      }
    });
    waiting.awaitFirstClient(broadcaster::serve);
    warnWhenExposed(config);
    return broadcaster;
  }

  /** On the waiting thread, at the first client: the server takes over the bound channel. */
  private void serve(ServerSocketChannel channel) {
    StreamServer first;
    try {
      first = new StreamServer(config.port(port()), dispatcher, tls, refusals, slowCuts,
          this::restartSoon, channel);
    } catch (RuntimeException e) {
      LOG.error("the stream cannot take its port over (" + e + "); the stream is off, the"
          + " application is unaffected");
      closeQuietly(channel);
      return;
    }
    if (!startUnlessClosed(first)) {
      closeQuietly(channel);
      return;
    }
    if (!awaitStarted(first)) {
      stopQuietly(first, 1000);
      LOG.error("the stream's server did not start (" + first.startFailure() + "); starting it"
          + " again");
      restartSoon();
    }
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
   * Its clients are cut (they reconnect and resume) and a new listener is started on the same
   * port, at once after one that ran a while, else waiting longer after each failed try and each
   * listener that ended soon after it started: a fault that comes back must not turn the restarts
   * into a loop.
   */
  private void restart() {
    StreamServer dead = server;
    int port = port();
    for (org.java_websocket.WebSocket client : dead.getConnections()) {
      client.closeConnection(CloseFrame.ABNORMAL_CLOSE, "the stream's listener restarted");
    }
    for (boolean first = true; !closed; first = false) {
      long wait = nextStartWaitMillis(first);
      if (wait > 0) {
        LOG.warn("the stream's listener starts again on port " + port + " in " + wait + " ms");
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
      StreamServer next = new StreamServer(config.port(port), dispatcher, tls, refusals, slowCuts,
          this::restartSoon, null);
      if (!startUnlessClosed(next)) {
        return;
      }
      if (awaitStarted(next)) {
        LOG.warn("the stream's listener is back on port " + port);
        return;
      }
      stopQuietly(next, 1000);
      LOG.error("the stream's listener cannot start again on port " + port + " ("
          + next.startFailure() + ")");
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

  /** Answers {@code {"action":"series"}} from {@code source} from now on. */
  public void answerSeries(SeriesSource source) {
    dispatcher.answerSeries(source);
  }

  public boolean isListening() {
    return bound != null;
  }

  /** The port actually bound (useful with port 0), or -1 when not listening. */
  public int port() {
    return bound != null ? bound.getPort() : -1;
  }

  /**
   * ws://host:port/ or wss://host:port/ when listening, else null: the address really bound
   * (0.0.0.0 when every interface, 127.0.0.1 for localhost).
   */
  public String url() {
    if (bound == null) {
      return null;
    }
    String host = bound.getAddress() == null ? config.host() : bound.getAddress().getHostAddress();
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
    StreamServer server = closeListening();
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
    StreamServer server = closeListening();
    if (server != null) {
      stopQuietly(server, 100);
    }
  }

  /**
   * Makes {@code next} the server and starts it, unless the broadcaster was closed meanwhile: one
   * or the other, never a server started after {@link #closeListening}. Set before it starts, as
   * its first client's welcome may ask it to ping.
   */
  private synchronized boolean startUnlessClosed(StreamServer next) {
    if (closed) {
      return false;
    }
    server = next;
    serverStartedNanos = System.nanoTime();
    next.start();
    return true;
  }

  /**
   * The wait before the next start: none after a listener that ran {@link #STEADY_NANOS} or
   * longer; otherwise 100 ms, doubling up to 30 s with each start that failed and each listener
   * that ended within that time.
   *
   * @param afterADeath whether this start follows the end of a listener (not a failed start)
   */
  private synchronized long nextStartWaitMillis(boolean afterADeath) {
    if (afterADeath && System.nanoTime() - serverStartedNanos >= STEADY_NANOS) {
      startWaitMillis = 0;
    }
    long wait = startWaitMillis;
    startWaitMillis = wait == 0 ? 100 : Math.min(MAX_RESTART_WAIT_MILLIS, 2 * wait);
    return wait;
  }

  /** Stops waiting for a first client; the server to stop, if one was started. */
  private synchronized StreamServer closeListening() {
    closed = true;
    if (waiting != null) {
      waiting.close();
    }
    return server;
  }

  private static void closeQuietly(ServerSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }

  private static void stopQuietly(StreamServer server, int timeoutMillis) {
    try {
      server.shutDown(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
