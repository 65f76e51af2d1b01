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
 * uses): collects every text message, parsed, in arrival order.
 */
public final class WsTestClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final WebSocket socket;

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
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        return open(uri, Map.of());
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
          messages.add(JSON.readTree(partial.toString()));
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
