package dev.pulse.agent.hikari;

import dev.pulse.agent.instrumentation.PulseHooks;
import dev.pulse.log.PulseLog;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * What features need from a new pool's server, read once on a connection of the agent's own,
 * closed after use: never one borrowed from the pool, and only for PostgreSQL pools (known from
 * the pool's configuration, without connecting).
 */
public final class ServerSettingsReader implements PoolListener {
  private static final PulseLog LOG = PulseLog.forComponent("agent");

  private final Executor upkeep;
  private final List<ServerSettingsListener> listeners = new CopyOnWriteArrayList<>();

  /** @param upkeep where connecting may wait: never the scheduler */
  public ServerSettingsReader(Executor upkeep) {
    this.upkeep = upkeep;
  }

  public void add(ServerSettingsListener listener) {
    listeners.add(listener);
  }

  /** True when no feature needs the server's settings: then no connection is worth opening. */
  public boolean isEmpty() {
    return listeners.isEmpty();
  }

  @Override
  public void poolFound(HikariPoolHandle pool) {
    upkeep.execute(() -> read(pool));
  }

  private void read(HikariPoolHandle pool) {
    if (!pool.isPostgreSql()) {
      LOG.info("pool " + pool.name() + " is not PostgreSQL: the agent opens no connection to it");
      return;
    }
    PulseHooks.enterInternal();
    try (Connection connection = pool.openSeparateConnection("pulse")) {
      for (ServerSettingsListener listener : listeners) {
        listener.serverSettings(pool, connection);
      }
      LOG.info("pool " + pool.name() + ": server settings read on a connection of the agent's own");
    } catch (Exception e) {
      LOG.info("pool " + pool.name() + ": cannot open a connection of the agent's own ("
          + e.getMessage() + "); the sizer and vector search go on without the server's settings");
    } finally {
      PulseHooks.exitInternal();
    }
  }
}
