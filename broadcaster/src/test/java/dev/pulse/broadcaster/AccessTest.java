package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.RawFrameClient;
import dev.pulse.testing.WsTestClient;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AccessTest {

  @Test
  void aWrongOrMissingTokenIsClosedWithAReason() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().token("s3cret"))) {
      for (String url : new String[] {broadcaster.url(), broadcaster.url() + "?token=wrong",
          broadcaster.url() + "?token=s3cre", broadcaster.url() + "?token=s3cret2"}) {
        try (WsTestClient client = WsTestClient.open(url, Map.of())) {
          String closed = client.closed().get(5, TimeUnit.SECONDS);
          assertEquals("1008 unauthorized: missing or wrong token (pass ?token=... or an"
              + " Authorization: Bearer header)", closed, url);
          assertEquals(0, client.pending(), "nothing is sent before the close");
        }
      }
      assertEquals(0, broadcaster.clientCount());
    }
  }

  @Test
  void theRightTokenWorksInTheQueryOrAsABearerHeader() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().token("s3 cr/et"))) {
      try (WsTestClient byQuery = WsTestClient.open(broadcaster.url() + "?x=1&token=s3%20cr%2Fet", Map.of())) {
        byQuery.awaitType("welcome", WAIT);
      }
      try (WsTestClient byHeader = WsTestClient.open(broadcaster.url(),
          Map.of("Authorization", "Bearer s3 cr/et"))) {
        byHeader.awaitType("welcome", WAIT);
      }
    }
  }

  @Test
  void aPageFromAForeignOriginCannotOpenTheStream() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig()
        .allowedOrigins(Set.of("http://localhost:3000")))) {
      CompletionException refused = assertThrows(CompletionException.class,
          () -> WsTestClient.open(broadcaster.url(), Map.of("Origin", "http://evil.example")));
      assertTrue(refused.getCause() instanceof WebSocketHandshakeException, String.valueOf(refused));
      assertEquals(404, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
      try (WsTestClient allowed = WsTestClient.open(broadcaster.url(),
          Map.of("Origin", "http://localhost:3000"))) {
        allowed.awaitType("welcome", WAIT);
      }
      try (WsTestClient own = WsTestClient.open(broadcaster.url(),
          Map.of("Origin", "http://127.0.0.1:" + broadcaster.port()))) {
        own.awaitType("welcome", WAIT);
      }
      try (WsTestClient commandLine = WsTestClient.open(broadcaster.url(), Map.of())) {
        commandLine.awaitType("welcome", WAIT);
      }
    }
  }

  @Test
  void anyOriginIsAdmittedOnlyWhenAskedFor() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig()
        .allowedOrigins(Set.of(BroadcasterConfig.ANY_ORIGIN)))) {
      try (WsTestClient client = WsTestClient.open(broadcaster.url(), Map.of("Origin", "http://any.example"))) {
        client.awaitType("welcome", WAIT);
      }
    }
  }

  @Test
  void aForeignHostNameIsRefusedOnLoopback() throws Exception {
    // DNS rebinding: a page of evil.example resolving to 127.0.0.1 still sends its own Host
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      try (RawFrameClient rebound = RawFrameClient.connect(broadcaster.port(), "/",
          Map.of("Host", "evil.example:" + broadcaster.port()), 64 * 1024)) {
        assertFalse(rebound.upgraded(), rebound.statusLine());
      }
      try (RawFrameClient local = RawFrameClient.connect(broadcaster.port(), "/",
          Map.of("Host", "localhost:" + broadcaster.port()), 64 * 1024)) {
        assertTrue(local.upgraded(), local.statusLine());
      }
    }
  }

  @Test
  void eitherTheQueryTokenOrTheBearerHeaderSuffices() {
    AccessRules rules = new AccessRules("s3cret");
    assertTrue(rules.tokenAccepted("Bearer wrong", "/?token=s3cret"), "a wrong Bearer beside a right query");
    assertTrue(rules.tokenAccepted("Bearer s3cret", "/?token=wrong"), "a right Bearer beside a wrong query");
    assertTrue(!rules.tokenAccepted("Bearer wrong", "/?token=wrong"));
    assertTrue(!rules.tokenAccepted(null, "/"));
  }
}
