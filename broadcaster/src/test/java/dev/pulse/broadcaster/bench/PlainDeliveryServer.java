package dev.pulse.broadcaster.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The reference for {@link DeliveryServer}: the same events, arguments and output, sent by
 * Java-WebSocket alone, no Pulse class involved. Each event is written as the envelope Pulse sends
 * (same fields, same order, so the same size) and handed to the library's own
 * {@link WebSocketServer#broadcast(String)} on the publishing thread; the library's selector thread
 * writes it to the clients.
 *
 * <p>Usage: PlainDeliveryServer PORT CLIENTS [rate-per-second [measured-seconds
 * [warm-up-seconds]]] (defaults 1000, 10 and 5).
 */
public final class PlainDeliveryServer extends WebSocketServer {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final ObjectMapper json = new ObjectMapper();
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile Exception startFailure;
  private long seq;

  private PlainDeliveryServer(int port) {
    super(new InetSocketAddress("127.0.0.1", port));
    // as Pulse's server: without it, a frame may wait for the client's acknowledgement of the last
    setTcpNoDelay(true);
    setReuseAddr(true);
    setDaemon(true);
  }

  public static void main(String[] args) throws Exception {
    DeliveryRun run = new DeliveryRun(args);
    PlainDeliveryServer server = new PlainDeliveryServer(run.port);
    server.start();
    server.started.await();
    if (server.startFailure != null) {
      throw server.startFailure;
    }
    System.out.println("listening on ws://127.0.0.1:" + server.getPort()
        + "/ (Java-WebSocket alone)");
    run.run(() -> server.getConnections().size(), server::send);
    server.stop(1000);
  }

  /** Called on the publishing thread only. */
  private void send(Map<String, Object> data) {
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("type", "load");
    envelope.put("channel", "system_alerts");
    envelope.put("seq", ++seq);
    envelope.put("data", data);
    envelope.put("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(System.currentTimeMillis())));
    try {
      broadcast(json.writeValueAsString(envelope));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // numbers, strings and a boolean always write
    }
  }

  @Override
  public void onStart() {
    started.countDown();
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    // nothing to say: the clients only receive
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    // the clients leave once they have every event
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    // the clients send nothing but pongs and close frames, which the library answers itself
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    if (conn == null && started.getCount() > 0) {
      startFailure = ex; // could not listen
      started.countDown();
    } else {
      ex.printStackTrace();
    }
  }
}
