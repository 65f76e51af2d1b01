package dev.pulse.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.log.PrintableText;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Prints the stream, readably or raw, like {@code tail -F}: waits for the agent when it is not up
 * yet, reconnects when the connection drops and resumes from the last seq it printed, so nothing
 * is missed or printed twice. Messages go to stdout, everything else to stderr.
 */
final class TailCommand {
  static final List<String> CHANNELS =
      Arrays.asList("db_pool_stats", "vector_search", "error_firewall", "system_alerts");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI uri;
  private final List<String> channels;
  private final boolean raw;
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;
  private long lastSeq = -1;
  private String serverId;

  private TailCommand(URI uri, List<String> channels, boolean raw) {
    this.uri = uri;
    this.channels = channels;
    this.raw = raw;
  }

  static int run(String[] args) {
    String url = "ws://127.0.0.1:8025/";
    String token = System.getenv("PULSE_TOKEN");
    List<String> channels = new ArrayList<>();
    boolean raw = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--json":
          raw = true;
          break;
        case "--channel":
        case "--token":
          if (i + 1 == args.length) {
            System.err.println(args[i] + " needs a value\n" + PulseCli.USAGE);
            return 2;
          }
          if (args[i].equals("--token")) {
            token = args[++i];
          } else if (CHANNELS.contains(args[++i])) {
            channels.add(args[i]);
          } else {
            System.err.println("unknown channel \"" + args[i] + "\"; the channels are "
                + String.join(", ", CHANNELS));
            return 2;
          }
          break;
        default:
          if (args[i].startsWith("--") || !(args[i].startsWith("ws://") || args[i].startsWith("wss://"))) {
            System.err.println("unknown argument \"" + args[i] + "\" (a URL starts with ws:// or"
                + " wss://)\n" + PulseCli.USAGE);
            return 2;
          }
          url = args[i];
      }
    }
    URI uri = URI.create(token == null ? url : url + (url.contains("?") ? "&" : "?") + "token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8));
    return new TailCommand(uri, channels, raw).loop(url);
  }

  /** Connects again and again until the server refuses the token or the user stops it. */
  private int loop(String shownUrl) {
    HttpClient http = HttpClient.newHttpClient();
    long backoffMillis = 500;
    boolean waitingSaid = false;
    while (true) {
      Listener listener = new Listener();
      WebSocket socket;
      try {
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
            .buildAsync(uri, listener).get();
      } catch (ExecutionException e) {
        String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        if (!waitingSaid) {
          err.println("waiting for " + shownUrl + " (" + why + ")");
          waitingSaid = true;
        }
        sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, 5000);
        continue;
      } catch (InterruptedException e) {
        return 0;
      }
      waitingSaid = false;
      backoffMillis = 500;
      err.println("connected to " + shownUrl);
      int code = listener.closed.join();
      if (code == 1008) {
        err.println("the server refused the connection: wrong or missing token (1008)");
        return 3;
      }
      err.println("connection closed (" + code + "); reconnecting and resuming after seq " + lastSeq);
      sleep(backoffMillis);
    }
  }

  private void handle(WebSocket socket, String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (Exception e) {
      err.println("not JSON: " + PrintableText.cut(text, 200));
      return;
    }
    String type = message.path("type").asText();
    if ("control".equals(message.path("channel").asText())) {
      control(socket, type, message.path("data"), text);
      return;
    }
    long seq = message.path("seq").asLong(-1);
    if (seq <= lastSeq && serverId != null) {
      return; // the state sent on connect repeats what was printed before the drop
    }
    lastSeq = Math.max(lastSeq, seq);
    out.println(raw ? text : StreamFormatter.line(message));
  }

  private void control(WebSocket socket, String type, JsonNode data, String text) {
    switch (type) {
      case "welcome":
        // subscribe before resuming: the replay covers the client's channels only
        if (!channels.isEmpty()) {
          socket.sendText("{\"action\":\"subscribe\",\"channels\":" + quoted(channels) + "}", true)
              .join();
        }
        String id = data.path("server_id").asText();
        if (serverId != null && !serverId.equals(id)) {
          err.println("the agent restarted: its seqs begin again");
          lastSeq = -1;
        } else if (serverId != null && lastSeq >= 0) {
          socket.sendText("{\"action\":\"resume\",\"since\":" + lastSeq + ",\"server_id\":\"" + id
              + "\"}", true).join();
        }
        serverId = id;
        break;
      case "resume_gap":
      case "events_dropped":
      case "error":
        err.println(raw ? text : PrintableText.escape(type + ": " + data));
        break;
      default:
        break;
    }
  }

  private static String quoted(List<String> names) {
    StringBuilder json = new StringBuilder("[");
    for (String name : names) {
      json.append(json.length() > 1 ? "," : "").append('"').append(name).append('"');
    }
    return json.append(']').toString();
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Gathers a message's fragments; prints whole messages in the order they came. */
  private final class Listener implements WebSocket.Listener {
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        handle(socket, text);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      closed.complete(1006);
    }
  }
}
