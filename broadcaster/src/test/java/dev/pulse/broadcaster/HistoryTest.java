package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

  @Test
  void anEmptyHistoryHoldsNothingFromSeqOne() {
    History history = new History(5);
    assertEquals(1, history.oldestSeq());
    assertEquals(0, history.newestSeq());
    assertEquals(List.of(), replayAfter(history, 0));
  }

  @Test
  void itHoldsTheLastCapacityMessagesAndReplaysThemInOrder() {
    History history = new History(5);
    for (long seq = 1; seq <= 12; seq++) {
      history.add(message(seq));
    }
    assertEquals(8, history.oldestSeq());
    assertEquals(12, history.newestSeq());
    assertEquals(List.of(8L, 9L, 10L, 11L, 12L), replayAfter(history, 0));
    assertEquals(List.of(8L, 9L, 10L, 11L, 12L), replayAfter(history, 7));
    assertEquals(List.of(10L, 11L, 12L), replayAfter(history, 9));
    assertEquals(List.of(), replayAfter(history, 12));
    assertEquals(List.of(), replayAfter(history, 13));
  }

  @Test
  void aSinceFarBeyondTheNewestReplaysNothing() {
    History history = new History(5);
    for (long seq = 1; seq <= 3; seq++) {
      history.add(message(seq));
    }
    assertEquals(List.of(), replayAfter(history, Long.MAX_VALUE - 1));
    assertEquals(List.of(), replayAfter(history, Long.MAX_VALUE), "since + 1 must not overflow");
  }

  @Test
  void aPartlyFilledHistoryStartsAtOne() {
    History history = new History(5);
    history.add(message(1));
    history.add(message(2));
    assertEquals(1, history.oldestSeq());
    assertEquals(List.of(1L, 2L), replayAfter(history, 0));
  }

  @Test
  void aCapacityBelowOneStillHoldsTheNewest() {
    History history = new History(0);
    history.add(message(1));
    history.add(message(2));
    assertEquals(2, history.oldestSeq());
    assertEquals(List.of(2L), replayAfter(history, 0));
  }

  static OutboundMessage message(long seq) {
    return new OutboundMessage(seq, Channel.SYSTEM_ALERTS, null, ("{\"seq\":" + seq + "}").getBytes());
  }

  private static List<Long> replayAfter(History history, long since) {
    List<Long> seqs = new ArrayList<>();
    int count = history.replayAfter(since, m -> seqs.add(m.seq()));
    assertEquals(seqs.size(), count);
    return seqs;
  }
}
