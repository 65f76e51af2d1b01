package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StateSnapshotsTest {

  @Test
  void theNewestMessageOfEachKeyIsKeptOldestFirst() {
    StateSnapshots snapshots = new StateSnapshots(10);
    remember(snapshots, 1, Channel.DB_POOL_STATS, "pool_stats", "a");
    remember(snapshots, 2, Channel.DB_POOL_STATS, "pool_stats", "b");
    remember(snapshots, 3, Channel.DB_POOL_STATS, "pool_stats", "a");
    remember(snapshots, 4, Channel.DB_POOL_STATS, "pool_resized", null); // not a state
    remember(snapshots, 5, Channel.SYSTEM_ALERTS, "system_stats", "jvm");
    assertEquals(List.of(2L, 3L, 5L), seqs(snapshots, EnumSet.allOf(Channel.class)));
    assertEquals(List.of(2L, 3L), seqs(snapshots, EnumSet.of(Channel.DB_POOL_STATS)));
    assertEquals(List.of(), seqs(snapshots, EnumSet.of(Channel.VECTOR_SEARCH)));
  }

  @Test
  void pastItsCapacityTheLeastRecentlyUpdatedKeyIsForgotten() {
    StateSnapshots snapshots = new StateSnapshots(2);
    remember(snapshots, 1, Channel.DB_POOL_STATS, "pool_stats", "a");
    remember(snapshots, 2, Channel.DB_POOL_STATS, "pool_stats", "b");
    remember(snapshots, 3, Channel.DB_POOL_STATS, "pool_stats", "a"); // a is now the newest
    remember(snapshots, 4, Channel.DB_POOL_STATS, "pool_stats", "c"); // b goes
    assertEquals(List.of(3L, 4L), seqs(snapshots, EnumSet.allOf(Channel.class)));
  }

  private static void remember(StateSnapshots snapshots, long seq, Channel channel, String type,
      String key) {
    Event event = new Event(channel, type, Map.of(), 0, key);
    snapshots.remember(event, new OutboundMessage(seq, channel, key, new byte[0]));
  }

  private static List<Long> seqs(StateSnapshots snapshots, EnumSet<Channel> channels) {
    return snapshots.of(channels).stream().map(OutboundMessage::seq).collect(Collectors.toList());
  }
}
