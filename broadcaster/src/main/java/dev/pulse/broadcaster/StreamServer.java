package dev.pulse.broadcaster;

import dev.pulse.log.PulseLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * The network side: Java-WebSocket's selector thread and one decoder thread, all daemons. It checks
 * who connects and hands everything else to the {@link Dispatcher}; it never sends events itself.
 * Every connection is a {@link GuardedConnection} (bounded handshake, every queued byte counted),
 * admitted by the {@link ConnectionGuard}, accepted by a {@link GuardedListener} that no failed
 * accept closes; refusals are logged through a {@link RefusalLog}.
 */
final class StreamServer extends WebSocketServer {
  static final int UNAUTHORIZED_CODE = CloseFrame.POLICY_VALIDATION;
  static final int SERVER_FULL_CODE = CloseFrame.TRY_AGAIN_LATER;

  private static final PulseLog LOG = PulseLog.forComponent("broadcaster");
  private static final String TOKEN_REFUSED = "token refused";

  private final BroadcasterConfig config;
  private final Dispatcher dispatcher;
  private final HandshakePolicy policy;
  private final ConnectionGuard guard;
  private final RefusalLog refusals;
  private final Runnable onDeath;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile Exception startFailure;
  private volatile boolean stopping;
  /** The channel handed over bound, or null when the library binds its own. */
  private final ServerSocketChannel bound;
  private volatile Thread selectorThread;
  /** Set on the selector thread as it starts, read there only. */
  private GuardedListener listener;

  /**
   * {@code onDeath} runs when the listener ends without being stopped (after a fatal error);
   * {@code bound} is a channel already bound to the configured port, or null to bind one.
   */
  StreamServer(BroadcasterConfig config, Dispatcher dispatcher, SSLContext tls,
      RefusalLog refusals, AtomicLong slowCuts, Runnable onDeath, ServerSocketChannel bound) {
    // permessage-deflate is left off: it corrupted broadcast payloads in Java-WebSocket's tests.
    super(new InetSocketAddress(config.host(), config.port()), 1,
        List.<Draft>of(new MaskedFramesDraft(config.maxFrameBytes())));
    this.config = config;
    this.dispatcher = dispatcher;
    this.policy = new HandshakePolicy(config, this::getPort);
    this.refusals = refusals;
    this.onDeath = onDeath;
    this.guard = new ConnectionGuard(config.maxPendingHandshakes(),
        config.handshakeTimeoutMillis(), refusals);
    setDaemon(true);
    setTcpNoDelay(true);
    setReuseAddr(true);
    setConnectionLostTimeout(0); // pings (and their timer thread) begin with the first client
    setWebSocketFactory(new GuardedSocketFactory(tls == null ? new DefaultWebSocketServerFactory()
        : new DefaultSSLWebSocketServerFactory(tls, DaemonThreads.executor("pulse-tls")), guard,
        2 * config.maxPendingBytesPerClient() + GuardedConnection.SLACK, config.maxHandshakeBytes(),
        (client, reason) -> {
          LOG.warn("closing client " + client.getRemoteSocketAddress() + ": " + reason);
          slowCuts.incrementAndGet();
        }));
    this.bound = bound;
    if (bound != null) {
      try {
        GuardedListener.handOver(this, bound);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Java-WebSocket's listening channel cannot be handed"
            + " over", e);
      }
    }
  }

  @Override
  public void run() {
    selectorThread = Thread.currentThread();
    try {
      super.run();
    } finally {
      guard.close();
      closeBound(); // a failed setup returns without closing it
      if (!stopping && started.getCount() == 0 && startFailure == null) {
        LOG.error("the stream's listener on port " + getPort() + " ended; starting it again");
        onDeath.run();
      }
    }
  }

  /**
   * The broadcaster's stop, never the no-argument {@code stop()} (it can wait forever). The
   * library's own {@code stop}, called on a fatal error, leaves {@code stopping} unset: the
   * listener is then started again.
   */
  void shutDown(int timeoutMillis) throws InterruptedException {
    stopping = true;
    stop(timeoutMillis);
    closeBound(); // stopped before its thread ran, the library never closes it
  }

  private void closeBound() {
    if (bound != null) {
      try {
        bound.close();
      } catch (IOException e) {
        // closing is all we wanted
      }
    }
  }

  @Override
  protected boolean onConnect(SelectionKey key) {
    listener.accepting(key);
    return true;
  }

  @Override
  public void onClosing(WebSocket conn, int code, String reason, boolean remote) {
    if (conn instanceof GuardedConnection) {
      guard.closing((GuardedConnection) conn, code);
    }
  }

  /** Waits (on the caller's thread, never an application thread) until bound or failed. */
  boolean awaitStarted(long timeoutMillis) throws InterruptedException {
    return started.await(timeoutMillis, TimeUnit.MILLISECONDS) && startFailure == null;
  }

  /** Pings (and its timer thread) only while clients are connected: nobody to ping otherwise. */
  void pingWhileConnected(boolean clients) {
    if (clients) {
      setConnectionLostTimeout(config.pingIntervalSeconds());
      // a new timeout restarts only a timer that runs; one stopped (no client) is started here
      startConnectionLostTimer();
    } else {
      setConnectionLostTimeout(0);
    }
  }

  Exception startFailure() {
    return startFailure;
  }

  @Override
  public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
      ClientHandshake request) throws InvalidDataException {
    ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    HandshakePolicy.Refusal refusal = policy.refusal(request);
    if (refusal != null) {
      refusals.refused(refusal.reason(), conn.getRemoteSocketAddress() + ": " + refusal.detail());
      throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, refusal.reason());
    }
    // A wrong token is refused after the upgrade, with a close code and reason the client can
    // read; a refused upgrade would only show it an HTTP 404.
    if (!policy.tokenAccepted(request)) {
      conn.setAttachment(TOKEN_REFUSED);
    }
    return response;
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    if (TOKEN_REFUSED.equals(conn.getAttachment())) {
      refusals.refused("missing or wrong token", String.valueOf(conn.getRemoteSocketAddress()));
      conn.close(UNAUTHORIZED_CODE, "unauthorized: missing or wrong token"
          + " (pass ?token=... or an Authorization: Bearer header)");
      return;
    }
    if (getConnections().size() > config.maxClients()) {
      conn.close(SERVER_FULL_CODE, "server full: at most " + config.maxClients() + " clients");
      return;
    }
    ClientSession session = new ClientSession(conn);
    conn.setAttachment(session);
    if (conn instanceof GuardedConnection) {
      ((GuardedConnection) conn).admitted();
    }
    dispatcher.submit(() -> dispatcher.connected(session));
    // Java-WebSocket sends the 101 before it opens the connection on its worker thread: a client
    // that vanished in between was closed with no onClose, and is opened all the same. And when
    // the selector thread closes it while this runs, its onClose may come before the session is
    // attached or before `connected` is queued. So once the socket is found closed here, the
    // connection is closed and removed again and the session let go after `connected` (letting go
    // twice is harmless; a close after this check goes through onClose as usual).
    if (conn instanceof WebSocketImpl && !((WebSocketImpl) conn).getChannel().isOpen()) {
      ((WebSocketImpl) conn).closeConnection(CloseFrame.ABNORMAL_CLOSE, "gone during the handshake");
      removeConnection(conn);
      dispatcher.submit(() -> dispatcher.disconnected(session));
    }
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    Object attachment = conn.getAttachment();
    if (attachment instanceof ClientSession) {
      ClientSession session = (ClientSession) attachment;
      dispatcher.submit(() -> dispatcher.disconnected(session));
    }
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    Object attachment = conn.getAttachment();
    if (attachment instanceof ClientSession) {
      ClientSession session = (ClientSession) attachment;
      ClientRequest request = ClientRequest.parse(message);
      dispatcher.submit(() -> dispatcher.handle(session, request));
    }
  }

  @Override
  public void onMessage(WebSocket conn, ByteBuffer message) {
    Object attachment = conn.getAttachment();
    if (attachment instanceof ClientSession) {
      ClientSession session = (ClientSession) attachment;
      ClientRequest request = ClientRequest.error("binary_not_supported",
          "binary frames are not accepted; send JSON text such as {\"action\":\"ping\"}",
          message.remaining() + " bytes of binary data");
      dispatcher.submit(() -> dispatcher.handle(session, request));
    }
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    if (conn == null && Thread.currentThread() == selectorThread) {
      // a fatal error here: the library's stop follows and joins this very thread, which would
      // wait for itself forever; interrupted, the join returns and the loop ends (then the
      // listener starts again)
      Thread.currentThread().interrupt();
    }
    if (conn == null && started.getCount() > 0) {
      startFailure = ex;
      started.countDown();
    } else if (conn == null) {
      LOG.warn("stream server failed", ex);
    } else {
      LOG.debug("client " + conn.getRemoteSocketAddress() + " failed", ex);
    }
  }

  @Override
  public void onStart() {
    try {
      listener = GuardedListener.install(this, guard, refusals);
    } catch (ReflectiveOperationException | RuntimeException e) {
      startFailure = new IllegalStateException("Java-WebSocket's listener cannot be guarded", e);
    }
    started.countDown();
  }
}
