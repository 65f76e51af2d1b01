package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pulse.testing.WsTestClient;
import java.lang.reflect.Field;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;

/**
 * The server's draft (and the SecureRandom Java-WebSocket's draft makes) is not made when the
 * stream starts, only at the first handshake, once; a limit the draft would refuse is refused at
 * start, as before, not at each client's handshake.
 */
class DraftOnFirstUseTest {
  @Test
  void theDraftIsMadeAtTheFirstHandshakeNotAtStart() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      DraftOnFirstUse drafts = draftsOf(broadcaster);
      assertNull(made(drafts), "made at start");
      try (WsTestClient client = WsTestClient.connect(broadcaster.url(), WAIT)) {
        client.awaitType("welcome", WAIT);
        Object first = made(drafts);
        assertNotNull(first, "not made by the first handshake");
        try (WsTestClient second = WsTestClient.connect(broadcaster.url(), WAIT)) {
          second.awaitType("welcome", WAIT);
          assertSame(first, made(drafts), "made again");
        }
      }
    }
  }

  @Test
  void aFrameLimitBelowOneByteIsRefusedWhenTheStreamStarts() {
    assertThrows(IllegalArgumentException.class,
        () -> Broadcaster.start(new BroadcasterConfig().port(0).maxFrameBytes(0)).close());
  }

  @Test
  void itHoldsOneDraft() {
    DraftOnFirstUse drafts = new DraftOnFirstUse(1024);
    assertSame(drafts.get(0), drafts.get(0));
    assertThrows(IndexOutOfBoundsException.class, () -> drafts.get(1));
  }

  private static DraftOnFirstUse draftsOf(Broadcaster broadcaster) throws Exception {
    Field server = Broadcaster.class.getDeclaredField("server");
    server.setAccessible(true);
    Field drafts = WebSocketServer.class.getDeclaredField("drafts");
    drafts.setAccessible(true);
    return (DraftOnFirstUse) drafts.get(server.get(broadcaster));
  }

  private static Object made(DraftOnFirstUse drafts) throws Exception {
    Field draft = DraftOnFirstUse.class.getDeclaredField("draft");
    draft.setAccessible(true);
    return draft.get(drafts);
  }
}
