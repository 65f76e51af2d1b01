package dev.pulse.agent.hosts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import javax.sql.DataSource;

/** The statements the start-up hosts run: 3 plain ones and 2 prepared, on one borrowed connection. */
final class FiveStatements {
  private FiveStatements() {
  }

  /** Returns how many statements ran: 5. */
  static int run(DataSource dataSource) throws Exception {
    int executed = 0;
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (int i = 0; i < 3; i++) {
        statement.execute("SELECT 1");
        executed++;
      }
      try (PreparedStatement prepared = connection.prepareStatement("SELECT ?::int")) {
        for (int i = 0; i < 2; i++) {
          prepared.setInt(1, i);
          prepared.executeQuery().close();
          executed++;
        }
      }
    }
    return executed;
  }
}
