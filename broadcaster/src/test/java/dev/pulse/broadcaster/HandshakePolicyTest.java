package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.util.Set;
import org.java_websocket.handshake.HandshakeImpl1Client;
import org.junit.jupiter.api.Test;

class HandshakePolicyTest {
  private static final int PORT = 8025;

  @Test
  void onLoopbackOnlyLoopbackHostNamesAreAccepted() {
    HandshakePolicy policy = new HandshakePolicy(new BroadcasterConfig(), () -> PORT);
    for (String host : new String[] {"127.0.0.1:8025", "localhost:8025", "LOCALHOST", "[::1]:8025",
        "127.0.0.1"}) {
      assertNull(policy.refusal(request("/", host, null)), host);
    }
    for (String host : new String[] {"evil.example:8025", "127.0.0.1.evil.example:8025",
        "localhost.evil.example", "", "10.0.0.1:8025"}) {
      HandshakePolicy.Refusal refusal = policy.refusal(request("/", host, null));
      assertTrue(refusal != null && refusal.reason().startsWith("host not allowed"), host);
    }
  }

  @Test
  void onAllInterfacesAnyHostIsAccepted() {
    HandshakePolicy policy = new HandshakePolicy(new BroadcasterConfig().host("0.0.0.0"), () -> PORT);
    assertNull(policy.refusal(request("/", "pulse.example:8025", null)));
  }

  @Test
  void originsMustBeListedExactlyOrBeTheServersOwn() {
    HandshakePolicy policy = new HandshakePolicy(new BroadcasterConfig()
        .allowedOrigins(Set.of("https://Dashboard.example/")), () -> PORT);
    assertNull(policy.refusal(request("/", "localhost", null)), "no Origin: a command-line client");
    assertNull(policy.refusal(request("/", "localhost", "https://dashboard.example")));
    assertNull(policy.refusal(request("/", "localhost", "HTTPS://DASHBOARD.EXAMPLE/")));
    assertNull(policy.refusal(request("/", "localhost", "http://127.0.0.1:8025")));
    assertNull(policy.refusal(request("/", "localhost", "http://localhost:8025")));
    assertNull(policy.refusal(request("/", "localhost", "http://[::1]:8025")));
    for (String origin : new String[] {"http://dashboard.example", "https://dashboard.example:444",
        "https://evil.example", "http://127.0.0.1:8026", "https://127.0.0.1:8025", "null"}) {
      assertEquals("origin not allowed: " + origin,
          String.valueOf(policy.refusal(request("/", "localhost", origin))), origin);
    }
  }

  @Test
  void aPageOfThisMachineIsAdmittedByLoopbackNamesAndWithATokenByTheNameTheClientUsed() {
    BroadcasterConfig config = new BroadcasterConfig().host("0.0.0.0").pagePorts(Set.of(8026));
    HandshakePolicy withToken = new HandshakePolicy(config.token("t"), () -> PORT);
    assertNull(withToken.refusal(request("/", "pulse.example:8025", "http://pulse.example:8026")));
    assertNull(withToken.refusal(request("/", "192.0.2.7:8025", "http://192.0.2.7:8026")));
    assertNull(withToken.refusal(request("/", "[fd00::7]:8025", "http://[fd00::7]:8026")));
    for (String origin : new String[] {"http://evil.example:8026", "http://pulse.example:8027",
        "http://pulse.example", "ftp://pulse.example:8026", "http://pulse.example.evil:8026"}) {
      assertEquals("origin not allowed: " + origin,
          String.valueOf(withToken.refusal(request("/", "pulse.example:8025", origin))), origin);
    }
    HandshakePolicy withoutToken = new HandshakePolicy(config.token(null), () -> PORT);
    assertEquals("origin not allowed: http://pulse.example:8026", String.valueOf(withoutToken
        .refusal(request("/", "pulse.example:8025", "http://pulse.example:8026"))), "a rebound name");
    for (String origin : new String[] {"http://127.0.0.1:8026", "http://localhost:8026",
        "http://[::1]:8026"}) {
      assertNull(withoutToken.refusal(request("/", "pulse.example:8025", origin)), origin);
    }
    assertEquals("origin not allowed: https://localhost:8026", String.valueOf(withoutToken
        .refusal(request("/", "pulse.example:8025", "https://localhost:8026"))),
        "without TLS the pages are http");
  }

  @Test
  void withTlsTheOwnOriginIsHttps() {
    HandshakePolicy policy = new HandshakePolicy(new BroadcasterConfig()
        .tlsKeystore(Paths.get("unused.p12")), () -> PORT);
    assertNull(policy.refusal(request("/", "localhost", "https://localhost:8025")));
    assertEquals("origin not allowed: http://localhost:8025",
        String.valueOf(policy.refusal(request("/", "localhost", "http://localhost:8025"))));
  }

  @Test
  void theAnyOriginEntryAdmitsEveryOriginButNotEveryHost() {
    HandshakePolicy policy = new HandshakePolicy(new BroadcasterConfig()
        .allowedOrigins(Set.of(BroadcasterConfig.ANY_ORIGIN)), () -> PORT);
    assertNull(policy.refusal(request("/", "localhost", "https://anything.example")));
    assertTrue(policy.refusal(request("/", "evil.example", "https://anything.example"))
        .reason().startsWith("host not allowed"));
  }

  @Test
  void theTokenComesFromABearerHeaderOrTheQuery() {
    HandshakePolicy policy = new HandshakePolicy(new BroadcasterConfig().token("a+b c"), () -> PORT);
    assertTrue(policy.tokenRequired());
    assertTrue(policy.tokenAccepted(request("/?token=a%2Bb%20c", "localhost", null)));
    assertTrue(policy.tokenAccepted(request("/?x=1&token=a%2Bb+c", "localhost", null)));
    assertFalse(policy.tokenAccepted(request("/?token=a+b+c", "localhost", null)), "+ is a space");
    assertFalse(policy.tokenAccepted(request("/?xtoken=a%2Bb%20c", "localhost", null)));
    assertFalse(policy.tokenAccepted(request("/", "localhost", null)));
    assertFalse(policy.tokenAccepted(request("/?token=", "localhost", null)));

    HandshakeImpl1Client bearer = request("/", "localhost", null);
    bearer.put("Authorization", "Bearer a+b c");
    assertTrue(policy.tokenAccepted(bearer));
    bearer.put("Authorization", "Bearer a+b");
    assertFalse(policy.tokenAccepted(bearer));
  }

  @Test
  void withoutATokenEveryoneIsAccepted() {
    HandshakePolicy policy = new HandshakePolicy(new BroadcasterConfig().token(""), () -> PORT);
    assertFalse(policy.tokenRequired());
    assertTrue(policy.tokenAccepted(request("/?token=whatever", "localhost", null)));
  }

  private static HandshakeImpl1Client request(String resource, String host, String origin) {
    HandshakeImpl1Client request = new HandshakeImpl1Client();
    request.setResourceDescriptor(resource);
    request.put("Host", host);
    if (origin != null) {
      request.put("Origin", origin);
    }
    return request;
  }
}
