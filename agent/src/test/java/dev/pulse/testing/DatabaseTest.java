package dev.pulse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The database every other test relies on is really PostgreSQL with a working pgvector. */
class DatabaseTest {

  @Test
  void pgvectorComputesDistances() throws Exception {
    try (Connection connection = TestDatabase.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("create extension if not exists vector");
      try (ResultSet rs = statement.executeQuery(
          "select '[1,2,3]'::vector <-> '[1,2,5]'::vector, extversion"
              + " from pg_extension where extname = 'vector'")) {
        assertTrue(rs.next());
        assertEquals(2.0, rs.getDouble(1), 1e-9);
        String[] version = rs.getString(2).split("\\.");
        assertTrue(Integer.parseInt(version[0]) > 0 || Integer.parseInt(version[1]) >= 5,
            "pgvector 0.5 or newer is needed for HNSW, found " + rs.getString(2));
      }
    }
  }
}
