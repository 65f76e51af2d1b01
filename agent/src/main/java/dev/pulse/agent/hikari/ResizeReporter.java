package dev.pulse.agent.hikari;

import dev.pulse.agent.instrumentation.HikariListener;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * Reports every change of a pool's maximum size as pool_resized, with who made it: the agent's
 * sizer (which says why), an operator over JMX, or the application (named by its calling method).
 * Who it was is read on the resizing thread; the event is built on the agent's executor.
 */
public final class ResizeReporter implements HikariListener {
  private static final ThreadLocal<String> AGENT_REASON = new ThreadLocal<>();

  private final HikariPools pools;
  private final Consumer<Event> publisher;
  private final PoolFigures figures;
  private final Executor executor;

  public ResizeReporter(HikariPools pools, Consumer<Event> publisher, PoolFigures figures,
      Executor executor) {
    this.pools = pools;
    this.publisher = publisher;
    this.figures = figures;
    this.executor = executor;
  }

  /** Resizes as the agent, so the report carries {@code reason} instead of a caller. */
  public static void resizeAsAgent(String reason, ResizeAction action) throws ReflectiveOperationException {
    AGENT_REASON.set(reason);
    try {
      action.run();
    } finally {
      AGENT_REASON.remove();
    }
  }

  /** A resize to perform. */
  @FunctionalInterface
  public interface ResizeAction {
    void run() throws ReflectiveOperationException;
  }

  /** On the resizing thread, right after the new size was set. */
  @Override
  public void maximumPoolSizeChanged(Object config, int oldSize, int newSize) {
    HikariPoolHandle pool = pools.byConfig(config);
    if (pool == null) {
      return; // a config of no running pool: nothing resized
    }
    String agentReason = AGENT_REASON.get();
    if (agentReason == null) {
      pool.configuredSizeChanged(newSize); // the application's (or operator's) word is the new base
    }
    String reason = agentReason != null ? agentReason : describeCaller(newSize);
    long at = System.currentTimeMillis();
    executor.execute(() -> publish(pool, oldSize, newSize, reason, at));
  }

  private void publish(HikariPoolHandle pool, int oldSize, int newSize, String reason, long at) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("old_size", oldSize);
    data.put("new_size", newSize);
    data.put("reason", reason);
    long[] waits = pool.metrics().waitHistogram();
    Map<String, Object> now = figures.read(pool, pool.snapshot(), waits, waits);
    now.remove("wait_p50");
    now.remove("wait_p99");
    data.putAll(now);
    publisher.accept(new Event(Channel.DB_POOL_STATS, "pool_resized", data, at, null));
  }

  /**
   * "operator over JMX ..." or "application: com.example.Foo.bar() set the maximum to 6": the
   * first frame below HikariCP's setter that is neither HikariCP nor the JDK is the caller.
   */
  static String describeCaller(int newSize) {
    List<String> frames = StackWalker.getInstance().walk(stack -> stack
        .limit(64)
        .map(frame -> frame.getClassName() + "." + frame.getMethodName())
        .dropWhile(frame -> !frame.equals("com.zaxxer.hikari.HikariConfig.setMaximumPoolSize"))
        .collect(Collectors.toList()));
    if (frames.stream().anyMatch(f -> f.startsWith("javax.management.") || f.startsWith("com.sun.jmx."))) {
      return "operator over JMX set the maximum to " + newSize;
    }
    return frames.stream()
        .filter(frame -> !frame.startsWith("com.zaxxer.hikari.") && !frame.startsWith("java.")
            && !frame.startsWith("jdk.internal.") && !frame.startsWith("sun."))
        .findFirst()
        .map(caller -> "application: " + caller + "() set the maximum to " + newSize)
        .orElse("set to " + newSize + " by an unknown caller");
  }
}
