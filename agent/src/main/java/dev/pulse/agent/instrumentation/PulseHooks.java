package dev.pulse.agent.instrumentation;

/**
 * The static entry points woven advice calls. The agent jar is on the system class path and
 * this class is in its visible part (the agent's own classes are hidden in the jar and loaded by
 * its own loader, which takes the hooks from the system class loader), so advice woven into a
 * class of any loader that delegates to it (plain class path, Spring Boot's nested jars, servlet
 * containers' webapp loaders) reaches this class and the listeners the agent registered on it.
 * It is deliberately not put on the bootstrap path: appending there turns off class data sharing
 * for every application class (the JVM warns about it on stderr) and slows the host's start-up;
 * the classes of a loader that cannot see this class are left unchanged (woven, each call would
 * fail to link, an error made and thrown every time). Every method swallows its own failures, and
 * the woven calls are guarded too: the host comes first.
 */
public final class PulseHooks {
  private static final ThreadLocal<CallContext> CONTEXT = ThreadLocal.withInitial(CallContext::new);
  private static final Hooks HOOKS = new Hooks();

  private PulseHooks() {
  }

  /** Where the agent registers its listeners ({@link Instrumenter} holds the events meanwhile). */
  public static Hooks hooks() {
    return HOOKS;
  }

  public static CallContext context() {
    return CONTEXT.get();
  }

  /** Marks the thread as running the agent's or a pool's own JDBC work, not the application's. */
  public static void enterInternal() {
    CONTEXT.get().internalDepth++;
  }

  public static void exitInternal() {
    CONTEXT.get().internalDepth--;
  }

  public static long acquireEnter(CallContext context) {
    try {
      return HOOKS.acquireEnter(context);
    } catch (Throwable t) {
      return 0;
    }
  }

  public static Object acquireGate(CallContext context, Object dataSource) {
    try {
      return HOOKS.acquireGate(context, dataSource);
    } catch (Throwable t) {
      return null;
    }
  }

  /** {@code blocked}: what {@link #acquireGate} returned, thrown instead of calling the method. */
  public static void acquireExit(CallContext context, long start, Object dataSource,
      Object connection, Throwable failure, Object blocked) {
    try {
      HOOKS.acquireExit(context, start, dataSource, connection, failure, blocked != null);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static Object connectionCloseEnter(CallContext context, Object connection) {
    try {
      return HOOKS.connectionCloseEnter(context, connection);
    } catch (Throwable t) {
      return null;
    }
  }

  public static void connectionCloseExit(CallContext context, Object connection,
      Object physical) {
    try {
      HOOKS.connectionCloseExit(context, connection, physical);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static Object proxyCloseEnter(CallContext context, Object proxy, Object method) {
    try {
      return HOOKS.proxyCloseEnter(context, proxy, method);
    } catch (Throwable t) {
      return null;
    }
  }

  public static Object proxyCloseOrAbortEnter(CallContext context, Object proxy,
      Object method) {
    try {
      return HOOKS.proxyCloseOrAbortEnter(context, proxy, method);
    } catch (Throwable t) {
      return null;
    }
  }

  public static void proxyCloseExit(CallContext context, Object proxy, Object physical) {
    try {
      HOOKS.proxyCloseExit(context, proxy, physical);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static void prepareEnter(CallContext context) {
    HOOKS.prepareEnter(context);
  }

  public static void prepareExit(CallContext context, Object connection, Object statement,
      String sql) {
    try {
      HOOKS.prepareExit(context, connection, statement, sql);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static void batchEnter(CallContext context) {
    HOOKS.batchEnter(context);
  }

  public static void batchAdded(CallContext context, Object statement, String sql,
      Throwable failure) {
    try {
      HOOKS.batchAdded(context, statement, sql, failure);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static void batchCleared(CallContext context, Object statement) {
    try {
      HOOKS.batchCleared(context, statement);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static long statementEnter(CallContext context) {
    return HOOKS.statementEnter(context);
  }

  public static void statementExit(CallContext context, long start, Object statement, String sql,
      Object resultSet, Throwable failure) {
    try {
      HOOKS.statementExit(context, start, statement, sql, resultSet, failure);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static void batchExit(CallContext context, long start, Object statement, Object result,
      Throwable failure) {
    try {
      HOOKS.batchExit(context, start, statement, result, failure);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static void copyExit(CallContext context, long start, Object connection, String sql,
      Throwable failure) {
    try {
      HOOKS.copyExit(context, start, connection, sql, failure);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static void statementCloseEnter(CallContext context) {
    HOOKS.statementCloseEnter(context);
  }

  public static void statementCloseExit(CallContext context, Object statement) {
    try {
      HOOKS.statementCloseExit(context, statement);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static void transactionEnded(Object connection) {
    try {
      HOOKS.transactionEnded(connection);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static void hikariPoolSeen(Object pool, Object config) {
    try {
      HOOKS.hikariPoolSeen(pool, config);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  public static void hikariPoolClosed(Object pool, Object config) {
    try {
      HOOKS.hikariPoolClosed(pool, config);
    } catch (Throwable t) {
      // never reaches the application
    }
  }

  /** Reports the change once the set succeeded ({@code failure} null). */
  public static void maximumPoolSizeSet(Object config, int oldSize, int newSize,
      Throwable failure) {
    if (failure != null) {
      return;
    }
    try {
      HOOKS.maximumPoolSizeChanged(config, oldSize, newSize);
    } catch (Throwable t) {
      // never reaches the application
    }
  }
}
