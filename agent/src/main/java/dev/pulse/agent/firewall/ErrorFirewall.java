package dev.pulse.agent.firewall;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sees every failure at the data layer, classifies it and reports it as error_intercepted, one
 * event per distinct failure and window. It only observes: the application's own exception is
 * always thrown unchanged. On the failing thread it costs a classification (failures only).
 */
public final class ErrorFirewall implements Runnable {
  public static final String SCENE_ACQUIRE = "connection_acquire";
  public static final String SCENE_QUERY = "query";
  public static final String SCENE_VECTOR = "vector_search";

  private final ErrorClassifier classifier;
  private final StormGuard storms;
  private final Consumer<Event> publisher;

  public ErrorFirewall(List<Rule> userRules, long windowMillis, Consumer<Event> publisher) {
    this.classifier = new ErrorClassifier(userRules);
    this.storms = new StormGuard(windowMillis * 1_000_000L, 10_000);
    this.publisher = publisher;
  }

  public void failed(Throwable failure, String scene) {
    Classification classification = classifier.classify(failure, scene);
    if (storms.admit(classification, System.nanoTime())) {
      publish(classification, "observed", 1);
    }
  }

  /** On the scheduler: reports the repeats of every window that closed. */
  @Override
  public void run() {
    for (StormGuard.Window window : storms.close(System.nanoTime())) {
      publish(window.first, "suppressed", window.repeats.get());
    }
  }

  private void publish(Classification c, String status, int count) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("error_id", c.errorId);
    data.put("error_scene", c.scene);
    data.put("error_type", c.errorType);
    data.put("sql_state", c.sqlState);
    data.put("message", c.message);
    data.put("solution", c.solution);
    data.put("confidence", c.confidence);
    data.put("status", status);
    data.put("count", count);
    publisher.accept(Event.now(Channel.ERROR_FIREWALL, "error_intercepted", data));
  }
}
