package dev.pulse.agent.instrumentation;

/**
 * The static entry points inlined advice calls. The agent jar is on the system class path, so
 * advice woven into a class of any loader that delegates to it (plain class path, Spring Boot's
 * nested jars, servlet containers' webapp loaders) reaches this class. It is deliberately not put
 * on the bootstrap path: appending there turns off class data sharing for every application class
 * (the JVM warns about it on stderr) and slows the host's start-up; where a loader cannot see the
 * agent, the advice fails to link inside its own catch-all and the class simply runs uninstrumented.
 * Every method swallows its own failures: the host comes first.
 */
public final class PulseHooks {
  private static final ThreadLocal<CallContext> CONTEXT = ThreadLocal.withInitial(CallContext::new);
  private static volatile JdbcEvents events;

  private PulseHooks() {
  }

  /** Called once by the agent when it is ready to receive events. */
  public static void install(JdbcEvents implementation) {
    events = implementation;
  }

  public static CallContext context() {
    return CONTEXT.get();
  }

  /** Marks the current thread as running the agent's or a pool's own JDBC work, not the application's. */
  public static void enterInternal() {
    CONTEXT.get().internalDepth++;
  }

  public static void exitInternal() {
    CONTEXT.get().internalDepth--;
  }

  // ---- getConnection ----

  /** Returns the start time, or 0 when this call is nested or internal and must not be recorded. */
  public static long acquireEnter(CallContext context) {
    if (context.acquireDepth++ == 0) {
      context.acquireRecorded = false;
    }
    return context.internalDepth > 0 ? 0 : System.nanoTime();
  }

  /**
   * Null to go ahead with getConnection, or the exception to fail with at once (the firewall's
   * fail-fast). Free while no pool's database is held unreachable.
   */
  public static Object acquireGate(CallContext context, Object dataSource) {
    JdbcEvents target = events;
    if (target == null || context.internalDepth > 0) {
      return null;
    }
    try {
      return target.acquireGate(context, dataSource);
    } catch (Throwable t) {
      return null;
    }
  }

  /** The innermost getConnection of a call tree is the one recorded: it is the pool's own. */
  public static void acquireExit(CallContext context, long start, Object dataSource,
      Object connection, Throwable failure, boolean blocked) {
    context.acquireDepth--;
    if (start == 0 || context.acquireRecorded || blocked) {
      return;
    }
    context.acquireRecorded = true;
    JdbcEvents target = events;
    if (target != null) {
      try {
        target.connectionAcquired(context, dataSource, connection, System.nanoTime() - start, failure);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  // ---- statement execution ----

  /** Returns the start time, or 0 when this call is nested (a proxy's delegate) or internal. */
  public static long statementEnter(CallContext context) {
    return context.statementDepth++ == 0 && context.internalDepth == 0 ? System.nanoTime() : 0;
  }

  public static void statementExit(CallContext context, long start, Object statement, String sql,
      Object result, Throwable failure) {
    context.statementDepth--;
    if (start == 0) {
      return;
    }
    JdbcEvents target = events;
    if (target != null) {
      try {
        String text = sql != null ? sql : context.sqlOf(statement);
        target.statementExecuted(context, statement, text, result, System.nanoTime() - start,
            failure);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  // ---- prepareStatement / prepareCall ----

  public static void prepareEnter(CallContext context) {
    context.prepareDepth++;
  }

  /** The outermost prepare is the application's: remember its statement and SQL on this thread. */
  public static void prepareExit(CallContext context, Object statement, String sql) {
    if (--context.prepareDepth == 0 && statement != null) {
      context.prepared(statement, sql);
    }
  }

  // ---- commit / rollback ----

  public static void transactionEnded(Object connection) {
    JdbcEvents target = events;
    if (target != null) {
      try {
        target.transactionEnded(connection);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  // ---- HikariCP ----

  public static void hikariPoolSeen(Object pool, Object config) {
    JdbcEvents target = events;
    if (target != null) {
      try {
        target.hikariPoolSeen(pool, config);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  public static void maximumPoolSizeChanged(Object config, int oldSize, int newSize) {
    JdbcEvents target = events;
    if (target != null && oldSize != newSize) {
      try {
        target.maximumPoolSizeChanged(config, oldSize, newSize);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }
}
