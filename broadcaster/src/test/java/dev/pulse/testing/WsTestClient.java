package dev.pulse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client, the JDK's own (independent of the Java-WebSocket library the server
 * uses): collects every text message, parsed, in arrival order. It also witnesses the stream: it
 * keeps the seq of every event since its welcome, so that after an attack or a fault it can tell
 * whether it got each one, once and in order ({@link #assertEveryEventInOrder}).
 */
public final class WsTestClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final WebSocket socket;
  /** The welcome's last_seq (-1 before it) and the seq of every event after it, as received. */
  private long welcomeSeq = -1;
  private final java.util.List<Long> eventSeqs = new java.util.ArrayList<>();

  private WsTestClient(URI uri, Map<String, String> headers, HttpClient http) {
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    headers.forEach(builder::header);
    this.socket = builder.buildAsync(uri, new Listener()).join();
  }

  /** One attempt, with extra handshake headers; throws when the server refuses the upgrade. */
  public static WsTestClient open(String uri, Map<String, String> headers) {
    return new WsTestClient(URI.create(uri), headers, HttpClient.newHttpClient());
  }

  /** One attempt through a given client (for TLS). */
  public static WsTestClient open(String uri, HttpClient http) {
    return new WsTestClient(URI.create(uri), Map.of(), http);
  }

  /** Connects, retrying while the agent is still binding its port. */
  public static WsTestClient connect(String uri, Duration patience) throws InterruptedException {
    return connect(uri, HttpClient.newHttpClient(), patience);
  }

  /** Connects through a given client (for TLS), retrying while the port is not bound yet. */
  public static WsTestClient connect(String uri, HttpClient http, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        return open(uri, http);
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not connect to " + uri + " within " + patience, e);
        }
        Thread.sleep(100);
      }
    }
  }

  /** Messages received and not yet taken by an await. */
  public int pending() {
    return messages.size();
  }

  public void sendBinary(byte[] bytes) {
    socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
  }

  public void send(String text) {
    socket.sendText(text, true).join();
  }

  /** The next message matching {@code filter}, skipping others; fails after {@code timeout}. */
  public JsonNode await(Predicate<JsonNode> filter, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    java.util.List<String> skipped = new java.util.ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode message = left > 0 ? messages.poll(left, TimeUnit.NANOSECONDS) : null;
      if (message == null) {
        throw new AssertionError("no matching message within " + timeout + "; skipped meanwhile:\n"
            + String.join("\n", skipped));
      }
      if (filter.test(message)) {
        return message;
      }
      skipped.add(message.toString());
      if (skipped.size() > 30) {
        skipped.remove(0);
      }
    }
  }

  /** The next message received, or null when none is waiting. */
  public JsonNode poll() {
    return messages.poll();
  }

  public JsonNode awaitType(String type, Duration timeout) throws InterruptedException {
    return await(m -> type.equals(m.path("type").asText()), timeout);
  }

  /** The welcome's last_seq: every later seq is an event published since; -1 before it. */
  public synchronized long welcomeSeq() {
    return welcomeSeq;
  }

  /** Events received since the welcome. */
  public synchronized int events() {
    return eventSeqs.size();
  }

  /**
   * Asks the server its last seq (a ping) and checks, once the pong is here, that every event
   * since the welcome arrived, each once and in order, up to that seq: the server sends a client's
   * events and replies in one order, so all of them came before the pong. For a client that never
   * subscribed (one that did gets some states again). Fails with what is missing, or when the
   * connection was closed.
   */
  public void assertEveryEventInOrder(Duration patience) throws InterruptedException {
    if (closed.isDone()) {
      throw new AssertionError("closed: " + closed.getNow(""));
    }
    send("{\"action\":\"ping\"}");
    long last = awaitType("pong", patience).path("data").path("last_seq").asLong();
    synchronized (this) {
      if (welcomeSeq < 0) {
        throw new AssertionError("no welcome");
      }
      for (int i = 0; i < eventSeqs.size(); i++) {
        if (eventSeqs.get(i) != welcomeSeq + 1 + i) {
          throw new AssertionError("event " + (welcomeSeq + 1 + i) + " missing or out of order;"
              + " got " + eventSeqs.get(i));
        }
      }
      long newest = welcomeSeq + eventSeqs.size();
      if (newest < last) {
        throw new AssertionError("events " + (newest + 1) + " to " + last + " missing");
      }
    }
  }

  private synchronized void witness(JsonNode message) {
    String type = message.path("type").asText();
    if (type.equals("welcome")) {
      welcomeSeq = message.path("data").path("last_seq").asLong();
    } else if (welcomeSeq >= 0 && !message.path("channel").asText().equals("control")
        && message.path("seq").asLong() > welcomeSeq) { // the state sent on connect is older
      eventSeqs.add(message.path("seq").asLong());
    }
  }

  /** "1008 unauthorized..." once the server closed the connection. */
  public CompletableFuture<String> closed() {
    return closed;
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(partial.toString());
          witness(message);
          messages.add(message);
        } catch (IOException e) {
          throw new AssertionError("server sent invalid JSON: " + partial, e);
        } finally {
          partial.setLength(0);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete("error " + error);
    }
  }
}
