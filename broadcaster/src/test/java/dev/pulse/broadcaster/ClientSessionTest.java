package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.Test;

class ClientSessionTest {
  private static final long BUDGET = 1000;
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aClientMayStayOverItsBudgetForTheGracePeriodOnly() {
    ClientSession session = new ClientSession(fakeConnection());
    long t = 5 * SECOND;
    assertFalse(session.overBudget(BUDGET, BUDGET, t), "at the budget is fine");
    assertFalse(session.overBudget(BUDGET + 1, BUDGET, t), "over it, the grace starts");
    assertFalse(session.overBudget(BUDGET + 1, BUDGET, t + ClientSession.GRACE_NANOS));
    assertTrue(session.overBudget(BUDGET + 1, BUDGET, t + ClientSession.GRACE_NANOS + 1));
  }

  @Test
  void goingBackUnderTheBudgetRestartsTheGrace() {
    ClientSession session = new ClientSession(fakeConnection());
    long t = 5 * SECOND;
    assertFalse(session.overBudget(BUDGET + 1, BUDGET, t));
    assertFalse(session.overBudget(BUDGET / 2, BUDGET, t + SECOND / 2));
    assertFalse(session.overBudget(BUDGET + 1, BUDGET, t + SECOND));
    assertFalse(session.overBudget(BUDGET + 1, BUDGET, t + 2 * SECOND - 1));
    assertTrue(session.overBudget(BUDGET + 1, BUDGET, t + 2 * SECOND + 1));
  }

  @Test
  void twiceTheBudgetIsCutAtOnce() {
    ClientSession session = new ClientSession(fakeConnection());
    assertFalse(session.overBudget(2 * BUDGET, BUDGET, SECOND));
    assertTrue(session.overBudget(2 * BUDGET + 1, BUDGET, SECOND));
  }

  @Test
  void subscriptionsNarrowOnTheFirstSubscribeAndGrowAfter() {
    ClientSession session = new ClientSession(fakeConnection());
    assertEquals(EnumSet.allOf(Channel.class), session.channels());
    assertTrue(session.wants(null), "control replies always go out");
    session.subscribe(List.of(Channel.VECTOR_SEARCH));
    assertEquals(EnumSet.of(Channel.VECTOR_SEARCH), session.channels());
    session.subscribe(List.of(Channel.SYSTEM_ALERTS));
    assertEquals(EnumSet.of(Channel.VECTOR_SEARCH, Channel.SYSTEM_ALERTS), session.channels());
    session.unsubscribe(List.of(Channel.VECTOR_SEARCH, Channel.DB_POOL_STATS));
    assertEquals(EnumSet.of(Channel.SYSTEM_ALERTS), session.channels());
    assertFalse(session.wants(Channel.VECTOR_SEARCH));
    assertTrue(session.wants(Channel.SYSTEM_ALERTS));
  }

  @Test
  void anUnsubscribeFirstKeepsTheRest() {
    ClientSession session = new ClientSession(fakeConnection());
    session.unsubscribe(List.of(Channel.DB_POOL_STATS));
    assertEquals(EnumSet.of(Channel.VECTOR_SEARCH, Channel.ERROR_FIREWALL, Channel.SYSTEM_ALERTS),
        session.channels());
    session.subscribe(List.of(Channel.DB_POOL_STATS));
    assertEquals(EnumSet.allOf(Channel.class), session.channels(), "no narrowing after that");
  }

  @Test
  void theChannelsGivenOutAreACopy() {
    ClientSession session = new ClientSession(fakeConnection());
    session.channels().clear();
    assertEquals(EnumSet.allOf(Channel.class), session.channels());
  }

  /** Only what ClientSession touches; pendingBytes() is -1 (not counted) for anything but a GuardedConnection. */
  private static WebSocket fakeConnection() {
    return (WebSocket) Proxy.newProxyInstance(WebSocket.class.getClassLoader(),
        new Class<?>[] {WebSocket.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getRemoteSocketAddress":
              return new InetSocketAddress("127.0.0.1", 40000);
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            case "toString":
              return "fake connection";
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }
}
