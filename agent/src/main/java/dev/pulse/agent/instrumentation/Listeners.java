package dev.pulse.agent.instrumentation;

import java.util.Arrays;

/**
 * The listeners registered on the hooks, per event (a listener is not called for what it
 * ignores), and the calls that hand each event to them; a listener's failure never reaches the
 * application. Immutable: the hooks replace it whole, so an event sees one registration or the
 * next, never half of one.
 */
final class Listeners {
  static final Listeners NONE = new Listeners(new JdbcListener[0], new JdbcListener[0],
      new JdbcListener[0], new JdbcListener[0], new JdbcListener[0], new JdbcListener[0],
      new HikariListener[0], new AcquireGate[0], null);

  private final JdbcListener[] seen;
  private final JdbcListener[] acquired;
  private final JdbcListener[] borrowed;
  private final JdbcListener[] closed;
  private final JdbcListener[] executed;
  private final JdbcListener[] transactions;
  private final HikariListener[] pools;
  final AcquireGate[] gates;
  /** The one that stands for all while they are registered, or null. */
  final HeldEvents held;

  private Listeners(JdbcListener[] seen, JdbcListener[] acquired, JdbcListener[] borrowed,
      JdbcListener[] closed, JdbcListener[] executed, JdbcListener[] transactions,
      HikariListener[] pools, AcquireGate[] gates, HeldEvents held) {
    this.seen = seen;
    this.acquired = acquired;
    this.borrowed = borrowed;
    this.closed = closed;
    this.executed = executed;
    this.transactions = transactions;
    this.pools = pools;
    this.gates = gates;
    this.held = held;
  }

  /** Every event to the one listener that stands for all of them while they are registered. */
  static Listeners allTo(HeldEvents held) {
    JdbcListener[] jdbc = {held};
    return new Listeners(jdbc, jdbc, jdbc, jdbc, jdbc, jdbc, new HikariListener[] {held},
        new AcquireGate[] {held}, held);
  }

  Listeners with(JdbcListener listener) {
    return new Listeners(
        withIf(seen, listener, "dataSourceSeen", DataSourceKey.class, Object.class),
        withIf(acquired, listener, "connectionAcquired", DataSourceKey.class, long.class,
            long.class, Throwable.class),
        withIf(borrowed, listener, "connectionBorrowed", DataSourceKey.class, Object.class,
            Object.class, long.class),
        withIf(closed, listener, "connectionClosed", Object.class, Object.class),
        withIf(executed, listener, "statementExecuted", StatementEvent.class),
        withIf(transactions, listener, "transactionEnded", Object.class),
        pools, gates, held);
  }

  Listeners with(HikariListener listener) {
    return new Listeners(seen, acquired, borrowed, closed, executed, transactions,
        append(pools, listener), gates, held);
  }

  Listeners with(AcquireGate gate) {
    return new Listeners(seen, acquired, borrowed, closed, executed, transactions, pools,
        append(gates, gate), held);
  }

  private static JdbcListener[] withIf(JdbcListener[] listeners, JdbcListener listener,
      String method, Class<?>... parameters) {
    return overrides(listener, method, parameters) ? append(listeners, listener) : listeners;
  }

  private static boolean overrides(JdbcListener listener, String method, Class<?>... parameters) {
    try {
      return listener.getClass().getMethod(method, parameters).getDeclaringClass()
          != JdbcListener.class;
    } catch (NoSuchMethodException e) {
      return true;
    }
  }

  private static <T> T[] append(T[] array, T element) {
    T[] longer = Arrays.copyOf(array, array.length + 1);
    longer[array.length] = element;
    return longer;
  }

  /**
   * While they are held, waits for the agent's start to let the events go: a timed call (a
   * borrow) waits before its clock starts, not inside it.
   */
  void awaitStart() {
    if (held != null) {
      held.awaitRelease();
    }
  }

  void dataSourceSeen(DataSourceKey source, Object dataSource) {
    for (JdbcListener listener : seen) {
      try {
        listener.dataSourceSeen(source, dataSource);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  void connectionAcquired(DataSourceKey source, long waitNanos, long endNanos,
      Throwable failure) {
    for (JdbcListener listener : acquired) {
      try {
        listener.connectionAcquired(source, waitNanos, endNanos, failure);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  void connectionBorrowed(DataSourceKey source, Object connection, Object physical,
      long borrowedNanos) {
    for (JdbcListener listener : borrowed) {
      try {
        listener.connectionBorrowed(source, connection, physical, borrowedNanos);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  void connectionClosed(Object connection, Object physical) {
    for (JdbcListener listener : closed) {
      try {
        listener.connectionClosed(connection, physical);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  void statementExecuted(StatementEvent event) {
    for (JdbcListener listener : executed) {
      try {
        listener.statementExecuted(event);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  void transactionEnded(Object connection) {
    for (JdbcListener listener : transactions) {
      try {
        listener.transactionEnded(connection);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  void poolSeen(Object pool, Object config) {
    for (HikariListener listener : pools) {
      try {
        listener.poolSeen(pool, config);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  void poolClosed(Object pool, Object config) {
    for (HikariListener listener : pools) {
      try {
        listener.poolClosed(pool, config);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  void maximumPoolSizeChanged(Object config, int oldSize, int newSize) {
    for (HikariListener listener : pools) {
      try {
        listener.maximumPoolSizeChanged(config, oldSize, newSize);
      } catch (Throwable t) {
        // never reaches the application
      }
    }
  }

  /** What the first gate that blocks says, or null: getConnection runs. */
  Throwable blocked(DataSourceKey source) {
    for (AcquireGate gate : gates) {
      Throwable blocked = gate.blocked(source);
      if (blocked != null) {
        return blocked;
      }
    }
    return null;
  }
}
