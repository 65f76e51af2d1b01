package dev.pulse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain TCP relay to the test database that the test can take down and bring back on the same
 * port: while down, connecting is refused and every relayed connection is cut, which is what an
 * application sees when its database goes away.
 */
public final class TcpProxy implements AutoCloseable {
  private final int port;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;

  public TcpProxy(int port, String targetHost, int targetPort) {
    this.port = port;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  public int port() {
    return port;
  }

  public synchronized void start() throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    listener = server;
    Thread acceptor = new Thread(() -> accept(server), "tcp-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Refuses new connections and cuts the relayed ones. */
  public synchronized void stop() throws IOException {
    if (listener != null) {
      listener.close();
      listener = null;
    }
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        if (relay(server, client, upstream)) {
          pipe(client, upstream);
          pipe(upstream, client);
        }
      } catch (IOException e) {
        // the listener was closed, or the database refused: the client sees its socket close
      }
    }
  }

  /**
   * Registers a connection accepted by {@code server}, unless the relay was stopped since: one
   * accepted just before {@link #stop} would otherwise outlive it.
   */
  private synchronized boolean relay(ServerSocket server, Socket client, Socket upstream)
      throws IOException {
    if (listener != server) {
      client.close();
      upstream.close();
      return false;
    }
    sockets.add(client);
    sockets.add(upstream);
    return true;
  }

  private static void pipe(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException e) {
          // already closed
        }
      }
    }, "tcp-proxy-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
