package dev.pulse.agent.vector;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Publishes vector_advice only when a piece of advice changes: new, a different recommendation,
 * or resolved (what it asked for is done, or the condition is gone). Keyed by pool, collection,
 * kind and shape. Used by the advisor's thread only; bounded like the collections it follows.
 */
final class AdviceLedger {
  static final String ADVISED = "advised";
  static final String RESOLVED = "resolved";
  private static final int MAX_KEYS = 4096;

  private final Consumer<Event> publisher;
  private final Map<String, Map<String, Object>> lastRecommended = new HashMap<>();

  AdviceLedger(Consumer<Event> publisher) {
    this.publisher = publisher;
  }

  /** Publishes advice unless the same recommendation is the latest for this key; true when sent. */
  boolean advise(String pool, String collection, String kind, String shape, String message,
      Map<String, Object> recommended, Map<String, Object> evidence) {
    String key = key(pool, collection, kind, shape);
    if (recommended.equals(lastRecommended.get(key))
        || (!lastRecommended.containsKey(key) && lastRecommended.size() >= MAX_KEYS)) {
      return false;
    }
    lastRecommended.put(key, recommended);
    publish(key, collection, kind, ADVISED, message, recommended, evidence, pool);
    return true;
  }

  /** Withdraws advice that was given; nothing when none stands. True when sent. */
  boolean resolve(String pool, String collection, String kind, String shape, String message,
      Map<String, Object> evidence) {
    String key = key(pool, collection, kind, shape);
    if (lastRecommended.remove(key) == null) {
      return false;
    }
    publish(key, collection, kind, RESOLVED, message, Map.of(), evidence, pool);
    return true;
  }

  /** Publishes what the agent did (tuning), whatever came before. */
  void announce(String pool, String collection, String kind, String status, String message,
      Map<String, Object> recommended, Map<String, Object> evidence) {
    publish(key(pool, collection, kind, ""), collection, kind, status, message, recommended,
        evidence, pool);
  }

  private void publish(String key, String collection, String kind, String status, String message,
      Map<String, Object> recommended, Map<String, Object> evidence, String pool) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("collection", collection);
    data.put("kind", kind);
    data.put("status", status);
    data.put("message", message);
    data.put("recommended", recommended);
    data.put("evidence", evidence);
    data.put("pool_name", pool);
    // The latest advice of each key is state: a client that connects later sees it at once.
    publisher.accept(Event.stateNow(Channel.VECTOR_SEARCH, "vector_advice", key, data));
  }

  private static String key(String pool, String collection, String kind, String shape) {
    return pool + '|' + collection + '|' + kind + '|' + shape;
  }
}
