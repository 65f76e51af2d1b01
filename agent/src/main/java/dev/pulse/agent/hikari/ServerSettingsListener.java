package dev.pulse.agent.hikari;

import java.sql.Connection;

/** A feature that needs the settings of a pool's server (its connection limit, pgvector's defaults). */
public interface ServerSettingsListener {
  /**
   * On the agent's upkeep thread: reads what it needs on {@code connection}, a PostgreSQL
   * connection of the agent's own (never one of the pool's), which it neither keeps nor closes.
   */
  void serverSettings(HikariPoolHandle pool, Connection connection);
}
