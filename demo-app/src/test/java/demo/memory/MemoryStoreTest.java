package demo.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo's store against the real database (PULSE_TEST_JDBC_URL). */
class MemoryStoreTest {
  private static HikariDataSource dataSource;
  private static MemoryStore store;

  @BeforeAll
  static void prepare() throws SQLException {
    String url = System.getenv("PULSE_TEST_JDBC_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("PULSE_TEST_JDBC_URL is not set: run"
          + " `export PULSE_TEST_JDBC_URL=$(bash scripts/provision-postgres.sh | tail -n 1)`");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(2);
    dataSource = new HikariDataSource(config);
    store = new MemoryStore(dataSource, true);
    store.prepare();
  }

  @AfterAll
  static void close() {
    dataSource.close();
  }

  @Test
  void everySearchShapeReturnsKRows() throws SQLException {
    float[] query = Embeddings.of(new Random(1));
    try (Connection connection = dataSource.getConnection()) {
      assertEquals(7, store.searchPlain(connection, query, 7));
      assertEquals(5, store.searchInlined(connection, query, 5));
      assertTrue(store.searchAliased(connection, query, 4) <= 4);
    }
  }

  @Test
  void aWrongDimensionIsRefusedByPgvector() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement search = connection.prepareStatement("SELECT id FROM "
            + MemoryStore.TABLE + " ORDER BY embedding <-> ?::vector LIMIT 5")) {
      search.setString(1, "[0.1, 0.2, 0.3]");
      SQLException refused = assertThrows(SQLException.class, () -> search.executeQuery());
      assertEquals("22000", refused.getSQLState());
      assertTrue(refused.getMessage().contains("different vector dimensions"), refused.getMessage());
    }
  }

  @Test
  void embeddingsAreDeterministic() {
    assertEquals(Embeddings.literal(Embeddings.of(new Random(5))),
        Embeddings.literal(Embeddings.of(new Random(5))));
    assertEquals(Embeddings.DIMENSIONS, Embeddings.of(new Random(5)).length);
  }
}
