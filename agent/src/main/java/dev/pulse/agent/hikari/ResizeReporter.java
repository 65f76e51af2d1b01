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
  private static final String HIKARI_CONFIG = "com.zaxxer.hikari.HikariConfig";
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

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
    Map<String, Object> now = figures.read(pool, pool.state(), waits, waits);
    now.remove("wait_p50");
    now.remove("wait_p99");
    data.putAll(now);
    publisher.accept(new Event(Channel.DB_POOL_STATS, "pool_resized", data, at, null));
  }

  /**
   * "operator over JMX ..." or "application: com.example.Foo.bar() set the maximum to 6": the
   * first frame below HikariCP's setter that is neither HikariCP's own nor the JDK's is the
   * caller. HikariCP's own frames are told by where their class comes from (HikariCP's jar and
   * class loader), not by package: a wrapper of the application's, or HikariCP's own tests, in a
   * package under com.zaxxer.hikari are callers like any other.
   */
  static String describeCaller(int newSize) {
    List<StackWalker.StackFrame> frames = WALKER.walk(stack -> stack
        .limit(64)
        .dropWhile(frame -> !(frame.getClassName().equals(HIKARI_CONFIG)
            && frame.getMethodName().equals("setMaximumPoolSize")))
        .collect(Collectors.toList()));
    if (frames.stream().map(StackWalker.StackFrame::getClassName)
        .anyMatch(f -> f.startsWith("javax.management.") || f.startsWith("com.sun.jmx."))) {
      return "operator over JMX set the maximum to " + newSize;
    }
    Class<?> hikariConfig = frames.isEmpty() ? null : frames.get(0).getDeclaringClass();
    return frames.stream()
        .filter(frame -> !isHikariCp(frame.getDeclaringClass(), hikariConfig) && !isJdk(frame.getClassName()))
        .findFirst()
        .map(caller -> "application: " + caller.getClassName() + "." + caller.getMethodName()
            + "() set the maximum to " + newSize)
        .orElse("set to " + newSize + " by an unknown caller");
  }

  /** True when {@code type} is one of HikariCP's own classes: same loader and jar as HikariConfig. */
  static boolean isHikariCp(Class<?> type, Class<?> hikariConfig) {
    if (hikariConfig == null || type.getClassLoader() != hikariConfig.getClassLoader()) {
      return false;
    }
    String from = location(type);
    String hikari = location(hikariConfig);
    return from == null || hikari == null ? type.getName().startsWith("com.zaxxer.hikari.")
        : from.equals(hikari);
  }

  private static String location(Class<?> type) {
    java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null || source.getLocation() == null ? null : source.getLocation().toString();
  }

  private static boolean isJdk(String className) {
    return className.startsWith("java.") || className.startsWith("jdk.internal.")
        || className.startsWith("sun.");
  }
}
