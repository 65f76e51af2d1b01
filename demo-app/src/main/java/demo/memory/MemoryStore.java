package demo.memory;

import com.pgvector.PGvector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import javax.sql.DataSource;

/**
 * Mid-term memories of chat sessions: notes with embeddings, searched by similarity. Each search
 * is written the way a popular library writes it (plain JDBC, LangChain4j, Spring AI).
 */
final class MemoryStore {
  static final String TABLE = "mid_term_memories";
  private static final int SEED_ROWS = 3000;

  private final DataSource dataSource;
  private final boolean vectors;

  MemoryStore(DataSource dataSource, boolean vectors) {
    this.dataSource = dataSource;
    this.vectors = vectors;
  }

  boolean hasVectors() {
    return vectors;
  }

  /** Creates the table and its HNSW index, and seeds notes when there are too few. */
  void prepare() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      if (vectors) {
        statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
        statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigserial PRIMARY KEY,"
            + " session_id text NOT NULL, content text NOT NULL, importance real,"
            + " embedding vector(" + Embeddings.DIMENSIONS + "), created_at timestamptz DEFAULT now())");
        statement.execute("CREATE INDEX IF NOT EXISTS mid_term_memories_embedding ON " + TABLE
            + " USING hnsw (embedding vector_cosine_ops)");
      } else {
        statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigint AUTO_INCREMENT"
            + " PRIMARY KEY, session_id varchar(64), content varchar(1000), importance real,"
            + " created_at timestamp DEFAULT CURRENT_TIMESTAMP)");
      }
      statement.execute("CREATE TABLE IF NOT EXISTS memory_sessions (session_id varchar(64) PRIMARY KEY)");
      long rows;
      try (ResultSet count = statement.executeQuery("SELECT count(*) FROM " + TABLE)) {
        count.next();
        rows = count.getLong(1);
      }
      if (rows < SEED_ROWS) {
        Log.info("seeding " + (SEED_ROWS - rows) + " notes");
        Random random = new Random(42);
        connection.setAutoCommit(false);
        for (long i = rows; i < SEED_ROWS; i++) {
          insert(connection, "seed-" + (i % 50), "note " + i, random);
        }
        connection.commit();
        connection.setAutoCommit(true);
      }
    }
  }

  void remember(Connection connection, String session, String content, Random random)
      throws SQLException {
    insert(connection, session, content, random);
  }

  private void insert(Connection connection, String session, String content, Random random)
      throws SQLException {
    String sql = vectors
        ? "INSERT INTO " + TABLE + " (session_id, content, importance, embedding) VALUES (?, ?, ?, ?)"
        : "INSERT INTO " + TABLE + " (session_id, content, importance) VALUES (?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, session);
      insert.setString(2, content);
      insert.setFloat(3, random.nextFloat());
      if (vectors) {
        insert.setObject(4, new PGvector(Embeddings.of(random)));
      }
      insert.executeUpdate();
    }
  }

  /** Plain JDBC: the vector and k bound as parameters. */
  int searchPlain(Connection connection, float[] query, int k) throws SQLException {
    if (!vectors) {
      return recent(connection, k);
    }
    try (PreparedStatement search = connection.prepareStatement("SELECT id, content, embedding <=>"
        + " ?::vector AS distance FROM " + TABLE + " ORDER BY embedding <=> ?::vector LIMIT ?")) {
      String vector = Embeddings.literal(query);
      search.setString(1, vector);
      search.setString(2, vector);
      search.setInt(3, k);
      return count(search.executeQuery());
    }
  }

  /** As LangChain4j writes it: the vector and k inlined as literals. */
  int searchInlined(Connection connection, float[] query, int k) throws SQLException {
    if (!vectors) {
      return recent(connection, k);
    }
    try (Statement search = connection.createStatement()) {
      return count(search.executeQuery("SELECT id, content FROM " + TABLE + " ORDER BY embedding"
          + " <-> '" + Embeddings.literal(query) + "' LIMIT " + k));
    }
  }

  /** As Spring AI's PgVectorStore writes it: ordered by a select alias, PGvector bound. */
  int searchAliased(Connection connection, float[] query, int k) throws SQLException {
    if (!vectors) {
      return recent(connection, k);
    }
    try (PreparedStatement search = connection.prepareStatement("SELECT *, embedding <=> ? AS"
        + " distance FROM public." + TABLE + " WHERE embedding <=> ? < ? ORDER BY distance LIMIT ?")) {
      PGvector vector = new PGvector(query);
      search.setObject(1, vector);
      search.setObject(2, vector);
      search.setDouble(3, 0.8);
      search.setInt(4, k);
      return count(search.executeQuery());
    }
  }

  private int recent(Connection connection, int k) throws SQLException {
    try (PreparedStatement recent = connection.prepareStatement("SELECT id, content FROM " + TABLE
        + " ORDER BY id DESC LIMIT ?")) {
      recent.setInt(1, k);
      return count(recent.executeQuery());
    }
  }

  private static int count(ResultSet rows) throws SQLException {
    int count = 0;
    try (rows) {
      while (rows.next()) {
        count++;
      }
    }
    return count;
  }
}
