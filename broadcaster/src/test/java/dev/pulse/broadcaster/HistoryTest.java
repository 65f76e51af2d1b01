package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private static final Set<Channel> ALL = EnumSet.allOf(Channel.class);

  @Test
  void anEmptyHistoryHoldsNothingFromSeqOne() {
    History history = new History(5);
    assertEquals(1, history.completeFrom(ALL));
    assertEquals(0, history.newestSeq());
    assertEquals(List.of(), replayAfter(history, 0, ALL));
  }

  @Test
  void itHoldsTheLastCapacityMessagesOfAChannelAndReplaysThemInOrder() {
    History history = new History(5);
    for (long seq = 1; seq <= 12; seq++) {
      history.add(message(seq, Channel.SYSTEM_ALERTS));
    }
    assertEquals(8, history.completeFrom(ALL));
    assertEquals(12, history.newestSeq());
    assertEquals(List.of(8L, 9L, 10L, 11L, 12L), replayAfter(history, 0, ALL));
    assertEquals(List.of(8L, 9L, 10L, 11L, 12L), replayAfter(history, 7, ALL));
    assertEquals(List.of(10L, 11L, 12L), replayAfter(history, 9, ALL));
    assertEquals(List.of(), replayAfter(history, 12, ALL));
    assertEquals(List.of(), replayAfter(history, 13, ALL));
    assertEquals(Set.of(Channel.SYSTEM_ALERTS), history.lostAfter(6, ALL));
    assertEquals(Set.of(), history.lostAfter(7, ALL));
  }

  @Test
  void aBurstOnOneChannelEvictsNothingOfTheOthers() {
    History history = new History(3);
    history.add(message(1, Channel.DB_POOL_STATS));
    history.add(message(2, Channel.ERROR_FIREWALL));
    for (long seq = 3; seq <= 100; seq++) {
      history.add(message(seq, Channel.VECTOR_SEARCH));
    }
    history.add(message(101, Channel.DB_POOL_STATS));
    // every channel's own newest, merged in seq order
    assertEquals(List.of(1L, 2L, 98L, 99L, 100L, 101L), replayAfter(history, 0, ALL));
    Set<Channel> pools = EnumSet.of(Channel.DB_POOL_STATS, Channel.ERROR_FIREWALL);
    assertEquals(List.of(1L, 2L, 101L), replayAfter(history, 0, pools));
    assertEquals(1, history.completeFrom(pools), "nothing of these channels was let go");
    assertEquals(Set.of(), history.lostAfter(0, pools));
    assertEquals(98, history.completeFrom(ALL));
    assertEquals(Set.of(Channel.VECTOR_SEARCH), history.lostAfter(0, ALL));
    assertEquals(List.of(99L, 100L, 101L), replayAfter(history, 98, ALL));
  }

  @Test
  void aSinceFarBeyondTheNewestReplaysNothing() {
    History history = new History(5);
    for (long seq = 1; seq <= 3; seq++) {
      history.add(message(seq, Channel.SYSTEM_ALERTS));
    }
    assertEquals(List.of(), replayAfter(history, Long.MAX_VALUE - 1, ALL));
    assertEquals(List.of(), replayAfter(history, Long.MAX_VALUE, ALL));
  }

  @Test
  void aCapacityBelowOneStillHoldsTheNewest() {
    History history = new History(0);
    history.add(message(1, Channel.SYSTEM_ALERTS));
    history.add(message(2, Channel.SYSTEM_ALERTS));
    assertEquals(2, history.completeFrom(ALL));
    assertEquals(List.of(2L), replayAfter(history, 0, ALL));
  }

  static OutboundMessage message(long seq, Channel channel) {
    return new OutboundMessage(seq, channel, null, ("{\"seq\":" + seq + "}").getBytes());
  }

  private static List<Long> replayAfter(History history, long since, Set<Channel> channels) {
    List<Long> seqs = new ArrayList<>();
    history.replayAfter(since, channels, m -> seqs.add(m.seq()));
    return seqs;
  }
}
