package dev.pulse.broadcaster;

import java.util.Map;
import java.util.Objects;

/**
 * One thing that happened, as a publisher hands it over. It becomes a numbered envelope on the
 * broadcaster's own thread; nothing here is serialized on the publisher's thread.
 *
 * <p>{@code stateKey} marks an event as the latest state of something (for example the
 * {@code pool_stats} of one pool): the newest event per channel, type and key is sent to every
 * client as it subscribes, so a new client sees the present at once. Null for plain events.
 *
 * <p>The data is read on the broadcaster's thread, perhaps long after the publish (an event is
 * written when a client first needs it): a publisher hands over a map it no longer changes.
 */
public final class Event {
  private final Channel channel;
  private final String type;
  private final Map<String, ?> data;
  private final long timestampMillis;
  private final String stateKey;

  public Event(Channel channel, String type, Map<String, ?> data, long timestampMillis,
      String stateKey) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.type = Objects.requireNonNull(type, "type");
    this.data = Objects.requireNonNull(data, "data");
    this.timestampMillis = timestampMillis;
    this.stateKey = stateKey;
  }

  /** A plain event that happened now. */
  public static Event now(Channel channel, String type, Map<String, ?> data) {
    return new Event(channel, type, data, System.currentTimeMillis(), null);
  }

  /** The latest state of {@code stateKey}, as of now. */
  public static Event stateNow(Channel channel, String type, String stateKey, Map<String, ?> data) {
    return new Event(channel, type, data, System.currentTimeMillis(), stateKey);
  }

  public Channel channel() {
    return channel;
  }

  public String type() {
    return type;
  }

  public Map<String, ?> data() {
    return data;
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public String stateKey() {
    return stateKey;
  }
}
