package dev.pulse.agent.hikari;

/** A feature that follows HikariCP pools as they are found and closed; called on the agent's thread. */
public interface PoolListener {
  default void poolFound(HikariPoolHandle pool) {
  }

  default void poolClosed(HikariPoolHandle pool) {
  }
}
