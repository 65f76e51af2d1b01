package dev.pulse.agent.instrumentation;

/**
 * A feature that follows HikariCP pools. Arguments are the host's HikariCP objects, typed Object:
 * the agent never links against the host's HikariCP. Called on the pool's or the application's
 * thread; the same rules as {@link JdbcListener}.
 */
public interface HikariListener {
  /** A pool started, or (when the agent came later) its housekeeper topped it up. */
  default void poolSeen(Object pool, Object config) {
  }

  /** The pool shut down. */
  default void poolClosed(Object pool, Object config) {
  }

  /** A config (or HikariDataSource) had its maximum pool size changed. */
  default void maximumPoolSizeChanged(Object config, int oldSize, int newSize) {
  }
}
