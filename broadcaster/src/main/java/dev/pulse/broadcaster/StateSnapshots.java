package dev.pulse.broadcaster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The newest message of each keyed state (channel, type, state key), sent to a client when it
 * subscribes. Bounded: past {@code capacity} keys the least recently updated is forgotten.
 * Dispatcher thread only.
 */
final class StateSnapshots {
  private final Map<String, OutboundMessage> latest;

  StateSnapshots(int capacity) {
    this.latest = new LinkedHashMap<String, OutboundMessage>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, OutboundMessage> eldest) {
        return size() > capacity;
      }
    };
  }

  void remember(Event event, OutboundMessage message) {
    if (event.stateKey() != null) {
      latest.put(event.channel().wireName() + '\u0000' + event.type() + '\u0000' + event.stateKey(),
          message);
    }
  }

  /** The held states of these channels, oldest first. */
  List<OutboundMessage> of(Set<Channel> channels) {
    List<OutboundMessage> messages = new ArrayList<>();
    for (OutboundMessage message : latest.values()) {
      if (channels.contains(message.channel())) {
        messages.add(message);
      }
    }
    messages.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    return messages;
  }
}
