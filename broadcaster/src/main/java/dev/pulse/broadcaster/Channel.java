package dev.pulse.broadcaster;

import java.util.Locale;

/** The contract's four channels; {@link #wireName()} is what clients see and send. */
public enum Channel {
  DB_POOL_STATS,
  VECTOR_SEARCH,
  ERROR_FIREWALL,
  SYSTEM_ALERTS;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  /** The channel with this wire name, or null. */
  public static Channel fromWireName(String name) {
    for (Channel channel : values()) {
      if (channel.wireName.equals(name)) {
        return channel;
      }
    }
    return null;
  }

  /** "db_pool_stats, vector_search, ..." for error messages. */
  public static String allowedNames() {
    StringBuilder names = new StringBuilder();
    for (Channel channel : values()) {
      if (names.length() > 0) {
        names.append(", ");
      }
      names.append(channel.wireName);
    }
    return names.toString();
  }
}
