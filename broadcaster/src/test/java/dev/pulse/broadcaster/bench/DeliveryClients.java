package dev.pulse.broadcaster.bench;

import dev.pulse.testing.RawFrameClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The receiving side of a delivery-latency run ({@link DeliveryServer}): N WebSocket connections
 * read by one thread on one selector, each frame parsed in place in the read buffer (no message
 * object, no string), so that the receiver costs a few microseconds per frame and cannot be what
 * is measured. A frame is timed when the read that brought it returns, against the publish time
 * its event carries (System.nanoTime: the machine's monotonic clock, the same in every process on
 * Linux). Events marked as warm-up are counted but not timed. Prints the percentiles once every
 * client has every measured event (or when nothing came for 30 s), with this thread's own CPU over
 * the measured span: near 100 % would mean the receiver, not the server, set the pace.
 *
 * <p>Usage: DeliveryClients URL CLIENTS EVENTS (EVENTS: measured events each client must get).
 */
public final class DeliveryClients {
  private static final byte[] SENT = bytes("\"sent_nanos\":");
  private static final byte[] WARMUP = bytes("\"warmup\":true");
  private static final int BUFFER = 64 * 1024;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long events;
  private final long[] latencies;
  private int timed;
  private long warmupFrames;
  private int closedByServer;
  private long firstTimedNanos;
  private long firstTimedCpu;

  private DeliveryClients(int clients, long events) {
    this.events = events;
    this.latencies = new long[Math.toIntExact(clients * events)];
  }

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    int clients = Integer.parseInt(args[1]);
    long events = Long.parseLong(args[2]);
    new DeliveryClients(clients, events).run(url, clients);
    System.exit(0);
  }

  private void run(URI url, int clients) throws IOException {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    Selector selector = Selector.open();
    Connection[] connections = new Connection[clients];
    long connectBy = System.nanoTime() + 60_000_000_000L;
    for (int i = 0; i < clients; i++) {
      connections[i] = Connection.open(url.getPort(), path, connectBy);
      connections[i].channel.register(selector, SelectionKey.OP_READ, connections[i]);
    }
    int done = 0;
    long lastFrames = System.nanoTime();
    // until every client has every measured event, or nothing came for 30 s (the server is gone)
    while (done < clients && System.nanoTime() - lastFrames < 30_000_000_000L) {
      if (selector.select(1000) > 0) {
        lastFrames = System.nanoTime();
      }
      for (SelectionKey key : selector.selectedKeys()) {
        Connection connection = (Connection) key.attachment();
        boolean had = connection.finished(events);
        if (!connection.read(this)) {
          key.cancel();
          closedByServer++;
          done += had ? 0 : 1;
        } else if (!had && connection.finished(events)) {
          done++;
        }
      }
      selector.selectedKeys().clear();
    }
    long wall = System.nanoTime() - firstTimedNanos;
    long cpu = THREADS.getCurrentThreadCpuTime() - firstTimedCpu;
    long[] sorted = Arrays.copyOf(latencies, timed);
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "clients %d p50_ms %.3f p99_ms %.3f max_ms %.3f received %d of %d"
            + " warmup_frames %d closed %d receiver_cpu_pct %.1f%n",
        clients, BroadcastLoadHarness.percentile(sorted, 0.50),
        BroadcastLoadHarness.percentile(sorted, 0.99), BroadcastLoadHarness.percentile(sorted, 1.0),
        timed, latencies.length, warmupFrames, closedByServer,
        timed == 0 ? 0.0 : 100.0 * cpu / wall);
  }

  /** One text frame's payload, at [from, to) of {@code buffer}: timed unless it is a warm-up's. */
  private void frame(ByteBuffer buffer, int from, int to, long arrived, Connection connection) {
    int at = indexOf(buffer, from, to, SENT);
    if (at < 0) {
      return; // the welcome, a notice
    }
    if (indexOf(buffer, from, to, WARMUP) >= 0) {
      warmupFrames++;
      return;
    }
    long sent = 0;
    for (int i = at + SENT.length; i < to && buffer.get(i) >= '0' && buffer.get(i) <= '9'; i++) {
      sent = sent * 10 + (buffer.get(i) - '0');
    }
    if (timed == 0) {
      firstTimedNanos = System.nanoTime();
      firstTimedCpu = THREADS.getCurrentThreadCpuTime();
    }
    if (timed < latencies.length) {
      latencies[timed++] = arrived - sent;
    }
    connection.measured++;
  }

  private static int indexOf(ByteBuffer buffer, int from, int to, byte[] key) {
    outer:
    for (int i = from; i <= to - key.length; i++) {
      for (int j = 0; j < key.length; j++) {
        if (buffer.get(i + j) != key[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** One upgraded socket and the bytes read from it that do not make a whole frame yet. */
  private static final class Connection {
    final SocketChannel channel;
    ByteBuffer in = ByteBuffer.allocateDirect(BUFFER);
    long measured;

    private Connection(SocketChannel channel) {
      this.channel = channel;
    }

    /**
     * Connects (retrying until {@code deadline} while the server is still starting) and upgrades,
     * blocking, then leaves the socket non-blocking for the selector.
     */
    static Connection open(int port, String path, long deadline) throws IOException {
      SocketChannel channel;
      while (true) {
        try {
          channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
          break;
        } catch (ConnectException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          LockSupport.parkNanos(100_000_000L);
        }
      }
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ByteBuffer request = ByteBuffer.wrap(RawFrameClient.upgradeRequest(port, path, Map.of()));
      while (request.hasRemaining()) {
        channel.write(request);
      }
      Connection connection = new Connection(channel);
      connection.readHead();
      channel.configureBlocking(false);
      return connection;
    }

    /** Reads the answer's head; the bytes after it (the welcome, maybe) stay in the buffer. */
    private void readHead() throws IOException {
      int end;
      while ((end = headEnd()) < 0) {
        if (channel.read(in) < 0) {
          throw new IOException("closed during the handshake");
        }
      }
      in.flip();
      byte[] head = new byte[end];
      in.get(head);
      String status = new String(head, StandardCharsets.ISO_8859_1);
      if (!status.startsWith("HTTP/1.1 101")) {
        throw new IOException("not upgraded: " + status.lines().findFirst().orElse(""));
      }
      in.compact();
    }

    private int headEnd() {
      for (int i = 3; i < in.position(); i++) {
        if (in.get(i - 3) == '\r' && in.get(i - 2) == '\n' && in.get(i - 1) == '\r'
            && in.get(i) == '\n') {
          return i + 1;
        }
      }
      return -1;
    }

    boolean finished(long events) {
      return measured >= events;
    }

    /** Reads what is there and handles every whole frame; false once the server closed. */
    boolean read(DeliveryClients clients) throws IOException {
      int read = channel.read(in);
      long arrived = System.nanoTime();
      if (read < 0) {
        return false;
      }
      in.flip();
      boolean open = true;
      while (open && in.remaining() >= 2) {
        int start = in.position();
        int b0 = in.get(start) & 0xff;
        int length7 = in.get(start + 1) & 0x7f;
        int header = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
        if (in.remaining() < header) {
          break;
        }
        long length = length7 == 126 ? in.getShort(start + 2) & 0xffff
            : length7 == 127 ? in.getLong(start + 2) : length7;
        if (header + length > in.capacity()) {
          grow((int) (header + length));
          return open; // the rest arrives with the next reads
        }
        if (in.remaining() < header + length) {
          break;
        }
        int from = start + header;
        int to = from + (int) length;
        int opcode = b0 & 0x0f;
        if (opcode == RawFrameClient.OP_TEXT) {
          clients.frame(in, from, to, arrived, this);
        } else if (opcode == RawFrameClient.OP_PING) {
          byte[] payload = new byte[(int) length];
          for (int i = 0; i < payload.length; i++) {
            payload[i] = in.get(from + i);
          }
          channel.write(ByteBuffer.wrap(RawFrameClient.frame(true, RawFrameClient.OP_PONG, payload)));
        } else if (opcode == RawFrameClient.OP_CLOSE) {
          open = false;
        }
        in.position(to);
      }
      in.compact();
      return open;
    }

    /** A frame longer than the buffer (a long reply): the buffer grows to hold it. */
    private void grow(int frameBytes) {
      ByteBuffer larger = ByteBuffer.allocateDirect(Math.max(frameBytes, 2 * in.capacity()));
      larger.put(in);
      in = larger;
    }
  }
}
