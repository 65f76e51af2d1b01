package dev.pulse.agent.vector;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pgvector settings in effect on each physical connection, as the application's SQL changed
 * them: session values (SET, set_config(..., false)) and transaction values (SET LOCAL,
 * set_config(..., true)) that lapse at commit or rollback. Keyed weakly by the driver's
 * connection, which outlives the pool's per-borrow proxies. Touched only on vector searches,
 * setting changes and, while some transaction value is held, transaction ends.
 */
final class VectorSessions {
  static final Map<String, String> DEFAULTS = Map.of(
      "hnsw.ef_search", "40",
      "ivfflat.probes", "1",
      "hnsw.iterative_scan", "off",
      "ivfflat.iterative_scan", "off");

  private final Map<Object, Settings> byConnection = new WeakHashMap<>();
  /** Per pool: values the server gives a new session (ALTER DATABASE/ROLE SET, -c options). */
  private final Map<String, Map<String, String>> serverDefaults = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger connectionsWithLocalValues = new AtomicInteger();

  /** One connection's values. */
  private static final class Settings {
    final Map<String, String> session = new HashMap<>();
    final Map<String, String> local = new HashMap<>();
  }

  synchronized void apply(Object connection, SettingChange change, String boundValue) {
    Object physical = physical(connection);
    Settings settings = byConnection.computeIfAbsent(physical, key -> new Settings());
    boolean hadLocal = !settings.local.isEmpty();
    if (change.name() == null) { // RESET ALL
      settings.session.clear();
      settings.local.clear();
    } else {
      String value = change.value() != null ? change.value() : boundValue;
      if (change.local()) {
        if (value == null) {
          settings.local.remove(change.name());
        } else if (!autoCommit(physical)) { // SET LOCAL outside a transaction does nothing
          settings.local.put(change.name(), value);
        }
      } else {
        settings.local.remove(change.name()); // a session SET inside a transaction overrides
        if (value == null) {
          settings.session.remove(change.name());
        } else {
          settings.session.put(change.name(), value);
        }
      }
    }
    boolean hasLocal = !settings.local.isEmpty();
    if (hasLocal != hadLocal) {
      connectionsWithLocalValues.addAndGet(hasLocal ? 1 : -1);
    }
  }

  void transactionEnded(Object connection) {
    if (connectionsWithLocalValues.get() == 0) {
      return; // the common case: nothing to forget, no lock taken
    }
    synchronized (this) {
      Settings settings = byConnection.get(physical(connection));
      if (settings != null && !settings.local.isEmpty()) {
        settings.local.clear();
        connectionsWithLocalValues.decrementAndGet();
      }
    }
  }

  void serverDefaults(String pool, Map<String, String> values) {
    serverDefaults.put(pool, Map.copyOf(values));
  }

  /**
   * The value of {@code name} in effect on this connection now: what its SQL set, else what the
   * server gives every session of this pool, else pgvector's default.
   */
  synchronized String effective(Object connection, String pool, String name) {
    Settings settings = byConnection.get(physical(connection));
    if (settings != null) {
      String local = settings.local.get(name);
      if (local != null) {
        return local;
      }
      String session = settings.session.get(name);
      if (session != null) {
        return session;
      }
    }
    Map<String, String> server = pool == null ? null : serverDefaults.get(pool);
    String fromServer = server == null ? null : server.get(name);
    return fromServer != null ? fromServer : DEFAULTS.get(name);
  }

  private static Object physical(Object connection) {
    try {
      return ((Connection) connection).unwrap(Connection.class);
    } catch (Exception | LinkageError e) {
      return connection;
    }
  }

  private static boolean autoCommit(Object connection) {
    try {
      return ((Connection) connection).getAutoCommit();
    } catch (Exception | LinkageError e) {
      return false;
    }
  }
}
