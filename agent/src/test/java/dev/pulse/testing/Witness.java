package dev.pulse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A client that stays connected through an attack and keeps every event's seq: afterwards it must
 * have each event published since it connected, once and in order, and never have been closed.
 */
public final class Witness implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Long> seqs = new ArrayList<>();
  private final WebSocket socket;
  private long firstSeq = -1;
  private long lastPong = -1;
  private String closed;

  private Witness(String url, HttpClient http) {
    this.socket = http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5)).buildAsync(URI.create(url), new Listener()).join();
  }

  /** Connects and waits for the welcome. */
  public static Witness connect(String url, Duration patience) throws InterruptedException {
    return connect(url, HttpClient.newHttpClient(), patience);
  }

  /** Through a given client (for TLS). */
  public static Witness connect(String url, HttpClient http, Duration patience)
      throws InterruptedException {
    Witness witness = new Witness(url, http);
    long deadline = System.nanoTime() + patience.toNanos();
    while (witness.welcomed() < 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no welcome within " + patience);
      }
      Thread.sleep(20);
    }
    return witness;
  }

  private synchronized long welcomed() {
    return firstSeq;
  }

  /** Events seen so far (after the welcome). */
  public synchronized int events() {
    return seqs.size();
  }

  /**
   * Asks the server its last seq and waits until that event has arrived; then every seq since the
   * welcome must be there, each once, in order. Fails with what is missing.
   */
  public void assertEveryEventInOrder(Duration patience) throws InterruptedException {
    synchronized (this) {
      lastPong = -1;
    }
    socket.sendText("{\"action\":\"ping\"}", true).join();
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      synchronized (this) {
        if (closed != null) {
          throw new AssertionError("the witness was closed: " + closed);
        }
        long last = seqs.isEmpty() ? firstSeq : seqs.get(seqs.size() - 1);
        if (lastPong >= 0 && last >= lastPong) {
          for (int i = 0; i < seqs.size(); i++) {
            if (seqs.get(i) != firstSeq + 1 + i) {
              throw new AssertionError("event " + (firstSeq + 1 + i) + " missing or out of order;"
                  + " got " + seqs.get(i));
            }
          }
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the witness did not catch up with seq " + lastPong + " within "
            + patience + "; it has " + seqs.size() + " events after " + firstSeq);
      }
      Thread.sleep(20);
    }
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
          String type = message.path("type").asText();
          long seq = message.path("seq").asLong();
          synchronized (Witness.this) {
            if (type.equals("welcome")) {
              firstSeq = message.path("data").path("last_seq").asLong();
            } else if (type.equals("pong")) {
              lastPong = message.path("data").path("last_seq").asLong();
            } else if (!message.path("channel").asText().equals("control") && firstSeq >= 0
                && seq > firstSeq) { // the state sent on connect repeats older events
              seqs.add(seq);
            }
          }
        } catch (java.io.IOException e) {
          synchronized (Witness.this) {
            closed = "invalid JSON " + partial;
          }
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      synchronized (Witness.this) {
        closed = statusCode + " " + reason;
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      synchronized (Witness.this) {
        closed = "error " + error;
      }
    }
  }
}
