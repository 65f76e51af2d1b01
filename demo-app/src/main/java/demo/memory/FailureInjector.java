package demo.memory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The real mistakes an application makes now and then, made once a cycle: an embedding from the
 * wrong model (wrong dimension) and a session registered twice. Each is caught and logged.
 */
final class FailureInjector {
  private final DataSource dataSource;
  private final MemoryStore store;
  private int cycle;

  FailureInjector(DataSource dataSource, MemoryStore store) {
    this.dataSource = dataSource;
    this.store = store;
  }

  void once() {
    cycle++;
    try (Connection connection = dataSource.getConnection()) {
      if (store.hasVectors()) {
        try (PreparedStatement search = connection.prepareStatement("SELECT id FROM "
            + MemoryStore.TABLE + " ORDER BY embedding <-> ?::vector LIMIT 5")) {
          search.setString(1, "[0.1, 0.2, 0.3]");
          search.executeQuery().close();
        } catch (SQLException e) {
          Log.info("failure (on purpose): a 3-d embedding against 64-d memories: " + e.getMessage());
        }
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("INSERT INTO memory_sessions VALUES ('session-" + cycle + "')");
        statement.execute("INSERT INTO memory_sessions VALUES ('session-" + cycle + "')");
      } catch (SQLException e) {
        Log.info("failure (on purpose): a session registered twice: " + e.getMessage());
      }
    } catch (SQLException e) {
      Log.info("failure: " + e.getMessage());
    }
  }
}
