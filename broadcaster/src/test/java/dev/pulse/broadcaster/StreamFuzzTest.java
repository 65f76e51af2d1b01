package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.RawFrameClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.testing.WsTestClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A fuzzer of client frames and JSON actions, seeded (the seed is printed: -Dpulse.fuzz.seed=N
 * replays a run) and bounded by a number of cases. Each case opens its own raw connection and sends
 * one hostile input: random bytes, invalid UTF-8, frames over the limit, bad opcodes, unmasked or
 * orphan fragments, deep or mistyped JSON. Each must get the documented outcome (an error reply
 * with a code, or a close with 1002, 1007 or 1009), while a well-behaved client connected all along
 * receives every published event in order. Every case is logged to target/fuzz-cases.log.
 */
class StreamFuzzTest {
  private static final int FRAME_MAX = 8 * 1024;
  /**
   * The server answers in milliseconds; random bytes that declare a long masked frame leave it
   * waiting for the rest, which is right: that case ends in silence, so it is waited for only
   * briefly. Every other case has a definite answer, waited for with a deadline a busy machine
   * cannot miss.
   */
  private static final java.time.Duration SILENCE = java.time.Duration.ofSeconds(1);
  private static final java.time.Duration ANSWER = java.time.Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> REPLIES =
      Set.of("error", "subscribed", "unsubscribed", "resumed", "resume_gap", "pong");
  private static final String[] ACTIONS = {"subscribe", "unsubscribe", "resume", "ping", "SUBSCRIBE",
      "", "explode", "ping\u0000", "resume "};
  private static final String[] WORDS = {"db_pool_stats", "vector_search", "error_firewall",
      "system_alerts", "control", "", "\u00e9\u00e8", "\ud83d\udca5", "null", "-1"};

  @Test
  void aShortFuzzRunLeavesTheServerAndOtherClientsUnharmed() throws Exception {
    fuzz(Integer.getInteger("pulse.fuzz.cases", 1500));
  }

  @Test
  @Tag("long")
  void aLongFuzzRun() throws Exception {
    fuzz(Integer.getInteger("pulse.fuzz.long.cases", 20_000));
  }

  private void fuzz(int cases) throws Exception {
    long seed = Long.getLong("pulse.fuzz.seed", System.nanoTime());
    System.out.println("fuzz seed " + seed + " (replay with -Dpulse.fuzz.seed=" + seed + "), "
        + cases + " cases");
    Random random = new Random(seed);
    Files.createDirectories(Paths.get("target"));
    Map<String, AtomicInteger> outcomes = new LinkedHashMap<>();
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().maxFrameBytes(FRAME_MAX)
        .maxClients(1000).historySize(100_000).queueCapacity(100_000));
        WsTestClient witness = Streams.client(broadcaster);
        PrintWriter log = new PrintWriter(Files.newBufferedWriter(Paths.get("target/fuzz-cases.log"),
            StandardCharsets.UTF_8))) {
      Streams.sync(witness);
      AtomicBoolean publishing = new AtomicBoolean(true);
      AtomicInteger published = new AtomicInteger();
      Thread publisher = new Thread(() -> {
        while (publishing.get()) {
          broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "tick", published.getAndIncrement()));
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      publisher.start();
      log.println("seed " + seed);
      for (int i = 0; i < cases; i++) {
        String kind = KINDS[random.nextInt(KINDS.length)];
        String outcome;
        String input;
        try (RawFrameClient client = RawFrameClient.connect(broadcaster.port(), 64 * 1024)) {
          assertTrue(client.upgraded(), client.statusLine());
          input = send(kind, client, random);
          outcome = outcome(client, kind.equals("random-bytes") ? SILENCE : ANSWER);
        }
        log.println(i + "\t" + kind + "\t" + outcome + "\t" + input);
        outcomes.computeIfAbsent(kind + " -> " + outcome, k -> new AtomicInteger()).incrementAndGet();
        assertTrue(allowed(kind, outcome), "case " + i + " (seed " + seed + "): " + kind + " got "
            + outcome + " for " + input);
      }
      publishing.set(false);
      publisher.join();
      // the witness saw every event, in order, while all that went on
      int total = published.get();
      int expected = 0;
      while (expected < total) {
        JsonNode message = witness.await(m -> Streams.is(m, "tick"), WAIT);
        assertEquals(expected, message.get("data").get("n").asInt(), "the witness's events");
        expected++;
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (broadcaster.clientCount() != 1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1, broadcaster.clientCount(), "every fuzzing connection is gone");
      outcomes.forEach((k, v) -> log.println(v + "\t" + k));
      System.out.println("fuzz outcomes: " + outcomes + "; the witness got all " + total + " events");
    }
  }

  private static final String[] KINDS = {"json", "json", "json", "deep-json", "random-bytes",
      "invalid-utf8", "oversized", "bad-opcode", "unmasked", "orphan-continuation",
      "fragmented-json", "binary"};

  /** Sends one hostile input of the kind; returns a printable summary of it for the log. */
  private static String send(String kind, RawFrameClient client, Random random) throws IOException {
    switch (kind) {
      case "json": {
        String text = randomJson(random, 0);
        client.sendText(text);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
      }
      case "deep-json": {
        int depth = 20 + random.nextInt(3000);
        String text = "{\"action\":".repeat(depth) + "1" + "}".repeat(depth);
        client.sendText(text.length() < FRAME_MAX ? text : text.substring(0, FRAME_MAX - 1));
        return "depth " + depth;
      }
      case "random-bytes": {
        byte[] bytes = new byte[1 + random.nextInt(200)];
        random.nextBytes(bytes);
        client.sendRaw(bytes);
        return bytes.length + " random bytes";
      }
      case "invalid-utf8":
        client.sendFrame(true, RawFrameClient.OP_TEXT,
            new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'});
        return "C3 28 FF in a text frame";
      case "oversized": {
        int size = FRAME_MAX + 1 + random.nextInt(4 * FRAME_MAX);
        client.sendFrame(true, RawFrameClient.OP_TEXT, new byte[size]);
        return size + " bytes";
      }
      case "bad-opcode": {
        int[] reserved = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF};
        int opcode = reserved[random.nextInt(reserved.length)];
        client.sendFrame(true, opcode, "{}".getBytes(StandardCharsets.UTF_8));
        return "opcode " + opcode;
      }
      case "unmasked":
        client.sendRaw(new byte[] {(byte) 0x81, 0x02, '{', '}'});
        return "unmasked text frame";
      case "orphan-continuation":
        client.sendFrame(true, RawFrameClient.OP_CONTINUATION, "{}".getBytes(StandardCharsets.UTF_8));
        return "continuation with no start";
      case "fragmented-json": {
        byte[] text = "{\"action\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        int cut = 1 + random.nextInt(text.length - 1);
        client.sendFrame(false, RawFrameClient.OP_TEXT, java.util.Arrays.copyOfRange(text, 0, cut));
        client.sendFrame(true, RawFrameClient.OP_CONTINUATION,
            java.util.Arrays.copyOfRange(text, cut, text.length));
        return "ping cut at " + cut;
      }
      case "binary":
        client.sendFrame(true, 0x2, new byte[] {1, 2, 3});
        return "binary frame";
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  /** The server's answer: the first control reply's type and code, or how the connection ended. */
  private static String outcome(RawFrameClient client, java.time.Duration patience) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      RawFrameClient.Frame frame;
      try {
        frame = client.readFrame(patience.toMillis());
      } catch (java.net.SocketTimeoutException e) {
        return "silence";
      } catch (IOException e) {
        return "closed without a close frame";
      }
      if (frame.opcode == RawFrameClient.OP_CLOSE) {
        return "close " + frame.closeCode();
      }
      if (frame.opcode == RawFrameClient.OP_TEXT) {
        JsonNode message = JSON.readTree(frame.text());
        if ("control".equals(message.path("channel").asText())
            && !"welcome".equals(message.path("type").asText())) {
          String type = message.path("type").asText();
          return type.equals("error") ? "error " + message.get("data").get("code").asText() : type;
        }
      }
    }
    return "silence";
  }

  private static boolean allowed(String kind, String outcome) {
    switch (kind) {
      case "json":
      case "deep-json":
        return outcome.startsWith("error ") || REPLIES.contains(outcome);
      case "fragmented-json":
        return outcome.equals("pong");
      case "binary":
        return outcome.equals("error binary_not_supported");
      case "invalid-utf8":
        return outcome.equals("close 1007");
      case "oversized":
        return outcome.equals("close 1009");
      case "bad-opcode":
      case "unmasked":
      case "orphan-continuation":
        return outcome.equals("close 1002");
      case "random-bytes":
        // random bytes may happen to form a frame of any kind: any documented answer will do
        return outcome.startsWith("close 100") || outcome.startsWith("error ")
            || REPLIES.contains(outcome) || outcome.equals("closed without a close frame")
            || outcome.equals("silence");
      default:
        return false;
    }
  }

  private static String randomJson(Random random, int depth) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    if (random.nextInt(10) > 0) {
      object.put("action", random.nextInt(4) == 0 ? randomValue(random, depth)
          : ACTIONS[random.nextInt(ACTIONS.length)]);
    }
    if (random.nextBoolean()) {
      object.put("channels", random.nextInt(3) == 0 ? randomValue(random, depth)
          : List.of(WORDS[random.nextInt(WORDS.length)], WORDS[random.nextInt(WORDS.length)]));
    }
    if (random.nextBoolean()) {
      object.put("since", randomValue(random, depth));
    }
    if (random.nextInt(4) == 0) {
      object.put("server_id", randomValue(random, depth));
    }
    if (random.nextInt(3) == 0) {
      object.put("x" + random.nextInt(100), randomValue(random, depth)); // an unknown field
    }
    return random.nextInt(20) == 0 ? JSON.writeValueAsString(randomValue(random, depth))
        : JSON.writeValueAsString(object);
  }

  private static Object randomValue(Random random, int depth) {
    switch (random.nextInt(depth > 3 ? 6 : 8)) {
      case 0: return random.nextLong();
      case 1: return random.nextInt(2000) - 1000;
      case 2: return random.nextDouble() * 1e30;
      case 3: return WORDS[random.nextInt(WORDS.length)];
      case 4: return random.nextBoolean();
      case 5: return null;
      case 6: {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(randomValue(random, depth + 1));
        }
        return list;
      }
      default: {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k" + random.nextInt(10), randomValue(random, depth + 1));
        return map;
      }
    }
  }
}
