package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {"action":"series"}: one series message per series the source holds, then series_end. */
class SeriesReplyTest {

  @Test
  void eachSeriesIsOneControlMessageInTheSourcesOrderThenTheEnd() throws Exception {
    List<Integer> asked = new CopyOnWriteArrayList<>();
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      broadcaster.answerSeries(minutes -> {
        asked.add(minutes);
        return List.of(named("a", 3), named("b", 2));
      });
      try (WsTestClient client = Streams.client(broadcaster)) {
        client.send("{\"action\":\"series\"}");
        JsonNode first = client.awaitType("series", WAIT);
        assertEquals("control", first.get("channel").asText());
        assertEquals("a", first.get("data").get("name").asText());
        assertEquals("[0,1,2]", first.get("data").get("values").toString());
        assertEquals("b", client.awaitType("series", WAIT).get("data").get("name").asText());
        JsonNode end = client.awaitType("series_end", WAIT).get("data");
        assertEquals(15, end.get("minutes").asInt(), "15 minutes unless the client says");
        assertEquals(2, end.get("series").asInt());

        client.send("{\"action\":\"series\",\"minutes\":3}");
        client.awaitType("series_end", WAIT);
        assertEquals(List.of(15, 3), asked);
      }
    }
  }

  @Test
  void withNoSourceTheReplyIsAnEmptyEnd() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      client.send("{\"action\":\"series\",\"minutes\":1}");
      JsonNode end = client.awaitType("series_end", WAIT).get("data");
      assertEquals(0, end.get("series").asInt());
      assertEquals(1, end.get("minutes").asInt());
    }
  }

  @Test
  void aReplyFarLongerThanTheClientsBufferIsSentAsItReadsNotCutAsSlow() throws Exception {
    int count = 100; // ~12 KB each, every tenth ~20 KB (over the budget alone): 1.3 MB against 16 KB
    List<Map<String, ?>> many = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      many.add(named("s" + i, i % 10 == 0 ? 3500 : 2000));
    }
    try (Broadcaster broadcaster = Streams.start(
        new BroadcasterConfig().maxPendingBytesPerClient(16 * 1024))) {
      broadcaster.answerSeries(minutes -> many);
      try (WsTestClient client = Streams.client(broadcaster)) {
        client.send("{\"action\":\"series\"}");
        for (int i = 0; i < count; i++) {
          assertEquals("s" + i, client.awaitType("series", WAIT).get("data").get("name").asText());
        }
        assertEquals(count, client.awaitType("series_end", WAIT).get("data").get("series").asInt());
        assertFalse(client.closed().isDone(), "the client was served, not closed");
        assertEquals(0, broadcaster.slowClientsClosed());
        Streams.sync(client);
      }
    }
  }

  /**
   * The reply is built off the dispatcher's thread: a build held up for as long as the test likes
   * (the source waits on a latch) stops no client's events, not even the asking client's, and the
   * reply then arrives whole. Built on the dispatcher's thread, no event would pass meanwhile.
   */
  @Test
  void whileAReplyIsBuiltEveryClientKeepsReceivingEventsThenTheReplyArrivesWhole()
      throws Exception {
    int count = 70; // 15 minutes of points each: about 1 MB of JSON in all
    List<Map<String, ?>> many = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      many.add(named("s" + i, 900));
    }
    CountDownLatch building = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      broadcaster.answerSeries(minutes -> {
        building.countDown();
        try {
          release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return many;
      });
      try (WsTestClient asking = Streams.client(broadcaster);
          WsTestClient other = Streams.client(broadcaster)) {
        asking.send("{\"action\":\"series\"}");
        assertTrue(building.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the build began");
        Streams.sync(other);
        for (int n = 0; n < 50; n++) {
          broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "tick", n));
        }
        for (int n = 0; n < 50; n++) {
          assertEquals(n, other.await(m -> Streams.is(m, "tick"), WAIT).get("data").get("n").asInt());
          assertEquals(n, asking.await(m -> Streams.is(m, "tick"), WAIT).get("data").get("n").asInt());
        }
        asking.send("{\"action\":\"series\"}");
        assertEquals("series_pending",
            asking.awaitType("error", WAIT).get("data").get("code").asText(), "one at a time");

        release.countDown();
        for (int i = 0; i < count; i++) {
          JsonNode series = asking.awaitType("series", WAIT).get("data");
          assertEquals("s" + i, series.get("name").asText());
          assertEquals(900, series.get("values").size());
        }
        assertEquals(count, asking.awaitType("series_end", WAIT).get("data").get("series").asInt());
        assertEquals(0, broadcaster.slowClientsClosed());
        assertFalse(other.closed().isDone());
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void aSourceThatFailsGetsTheClientAnErrorAndTheStreamGoesOn() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      broadcaster.answerSeries(minutes -> {
        throw new IllegalStateException("broken");
      });
      try (WsTestClient client = Streams.client(broadcaster)) {
        client.send("{\"action\":\"series\"}");
        assertEquals("series_unavailable",
            client.awaitType("error", WAIT).get("data").get("code").asText());
        Streams.sync(client);
      }
    }
  }

  private static Map<String, ?> named(String name, int points) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", name);
    List<Integer> values = new ArrayList<>(Collections.nCopies(points, 0));
    for (int i = 0; i < points; i++) {
      values.set(i, i);
    }
    data.put("values", values);
    return data;
  }
}
