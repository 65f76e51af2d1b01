package dev.pulse.agent.hosts;

import com.pgvector.PGvector;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An ordinary pgvector application on a one-connection HikariCP pool (so every command runs on the
 * same database session), driven line by line on stdin. Prints "rows N" after each search: the
 * rows it really read. Knows nothing of the agent.
 *
 * <pre>
 * setup                       a table of 60 3-d vectors with an HNSW index
 * literal                     Statement, vector and k inlined
 * prepared OP K               PreparedStatement, vector and k bound, distance operator OP
 * springai K                  Spring AI's shape: ORDER BY a select alias, PGvector bound
 * set NAME VALUE              SET NAME = VALUE (session)
 * local NAME VALUE            in a transaction: SET LOCAL, a prepared search, commit
 * ivfflat K                   a search on a table with an IVFFlat index
 * bits OP K                   a search on a bit column: OP is <~> (hamming) or <%> (jaccard)
 * other                       statements that are no vector search
 * clustered ROWS [DIMS M EFC]  a table of ROWS clustered DIMS-d vectors (16), with a deliberately
 *                             weak HNSW index (m M, ef_construction EFC: 4, 8)
 * searchmany EF COUNT SEED [PAUSE_MS]   at ef_search EF, COUNT k=10 searches, queries from {@link #query}
 * searchids COUNT SEED DIMS PAUSE_MS [TABLE]   COUNT k=10 searches of the clustered table (or
 *                             TABLE) at whatever ef_search / probes the session has; prints
 *                             "ids I A,B,..." for each
 * ivfclustered ROWS DIMS LISTS  the same clustered vectors in {@link #IVF_RECALL_TABLE}, under an
 *                             IVFFlat index of LISTS lists
 * costly COUNT SEED DIMS SLEEP_MS K FROM   COUNT k=K searches of {@link #IVF_RECALL_TABLE} with
 *                             a filter whose subquery costs the server SLEEP_MS each (pg_sleep),
 *                             queries FROM clusters ({@link #query}) or cloud ({@link #cloudQuery});
 *                             prints "costly COUNT"
 * show NAME                   prints "show NAME VALUE": the session's own setting
 * plain ROWS                  a table of ROWS random 8-d vectors without a vector index, analyzed
 * plainsearch COUNT PAUSE_MS  COUNT k=10 searches of it
 * plainindex                  an HNSW index on it
 * filtered ROWS               ROWS 8-d vectors in 10 categories, with an HNSW index
 * filteredsearch COUNT        COUNT searches for 20 rows of one category (a filter after the index)
 * quit
 * </pre>
 */
public final class VectorHost {
  private static final String TABLE = "pulse_it_vectors";

  private VectorHost() {
  }

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setPoolName("vector-pool");
    config.setMaximumPoolSize(1);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      System.out.println("host ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split("\\s+");
        try (Connection connection = dataSource.getConnection()) {
          switch (words[0]) {
            case "setup":
              setup(connection);
              System.out.println("setup done");
              break;
            case "literal":
              try (Statement statement = connection.createStatement()) {
                count(statement.executeQuery("SELECT id FROM " + TABLE
                    + " ORDER BY embedding <-> '[1,1,1]' LIMIT 5"));
              }
              break;
            case "prepared":
              try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM "
                  + TABLE + " ORDER BY embedding " + words[1] + " ?::vector LIMIT ?")) {
                statement.setString(1, "[0.5,1,2]");
                statement.setInt(2, Integer.parseInt(words[2]));
                count(statement.executeQuery());
              }
              break;
            case "springai":
              try (PreparedStatement statement = connection.prepareStatement("SELECT *, embedding <=> ?"
                  + " AS distance FROM public." + TABLE + " WHERE embedding <=> ? < ? ORDER BY distance LIMIT ?")) {
                PGvector vector = new PGvector(new float[] {1, 2, 3});
                statement.setObject(1, vector);
                statement.setObject(2, vector);
                statement.setDouble(3, 2.0);
                statement.setInt(4, Integer.parseInt(words[1]));
                count(statement.executeQuery());
              }
              break;
            case "ivfflat":
              try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM "
                  + TABLE + "_ivf ORDER BY embedding <-> ?::vector LIMIT ?")) {
                statement.setString(1, "[1,2,3]");
                statement.setInt(2, Integer.parseInt(words[1]));
                count(statement.executeQuery());
              }
              break;
            case "bits":
              try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM "
                  + TABLE + "_bits ORDER BY flags " + words[1] + " ?::bit(8) LIMIT ?")) {
                statement.setString(1, "10110001");
                statement.setInt(2, Integer.parseInt(words[2]));
                count(statement.executeQuery());
              }
              break;
            case "set":
              try (Statement statement = connection.createStatement()) {
                statement.execute("SET " + words[1] + " = " + words[2]);
              }
              System.out.println("set done");
              break;
            case "local":
              connection.setAutoCommit(false);
              try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL " + words[1] + " = " + words[2]);
              }
              try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM "
                  + TABLE + " ORDER BY embedding <-> ?::vector LIMIT 3")) {
                statement.setString(1, "[2,2,2]");
                count(statement.executeQuery());
              }
              connection.commit();
              connection.setAutoCommit(true);
              break;
            case "other":
              try (Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM " + TABLE).close();
                statement.executeQuery("SELECT id FROM " + TABLE + " ORDER BY id LIMIT 3").close();
                statement.executeQuery("SELECT embedding <-> '[1,1,1]' FROM " + TABLE + " LIMIT 2").close();
              }
              System.out.println("other done");
              break;
            case "clustered":
              clustered(connection, RECALL_TABLE, Integer.parseInt(words[1]),
                  words.length > 2 ? Integer.parseInt(words[2]) : 16,
                  "hnsw (embedding vector_l2_ops) WITH (m = "
                      + (words.length > 3 ? Integer.parseInt(words[3]) : 4) + ", ef_construction = "
                      + (words.length > 4 ? Integer.parseInt(words[4]) : 8) + ")");
              System.out.println("clustered done");
              break;
            case "searchmany":
              try (Statement statement = connection.createStatement()) {
                statement.execute("SET hnsw.ef_search = " + words[1]);
              }
              try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM "
                  + RECALL_TABLE + " ORDER BY embedding <-> ?::vector LIMIT 10")) {
                int count = Integer.parseInt(words[2]);
                long pause = words.length > 4 ? Long.parseLong(words[4]) : 0;
                for (int i = 0; i < count; i++) {
                  statement.setString(1, query(Long.parseLong(words[3]), i));
                  statement.executeQuery().close();
                  Thread.sleep(pause);
                }
              }
              System.out.println("searched " + words[2]);
              break;
            case "searchids":
              try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM "
                  + (words.length > 5 ? words[5] : RECALL_TABLE)
                  + " ORDER BY embedding <-> ?::vector LIMIT 10")) {
                int count = Integer.parseInt(words[1]);
                for (int i = 0; i < count; i++) {
                  statement.setString(1, query(Long.parseLong(words[2]), i, Integer.parseInt(words[3])));
                  StringBuilder ids = new StringBuilder();
                  try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                      ids.append(ids.length() == 0 ? "" : ",").append(rows.getLong(1));
                    }
                  }
                  System.out.println("ids " + i + " " + ids);
                  Thread.sleep(Long.parseLong(words[4]));
                }
              }
              System.out.println("searched " + words[1]);
              break;
            case "ivfclustered":
              clustered(connection, IVF_RECALL_TABLE, Integer.parseInt(words[1]),
                  Integer.parseInt(words[2]),
                  "ivfflat (embedding vector_l2_ops) WITH (lists = " + Integer.parseInt(words[3]) + ")");
              System.out.println("ivfclustered done");
              break;
            case "costly":
              try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM "
                  + IVF_RECALL_TABLE + " WHERE id > (SELECT 0 FROM pg_sleep("
                  + Long.parseLong(words[4]) / 1000.0 + ")) ORDER BY embedding <-> ?::vector LIMIT "
                  + Integer.parseInt(words[5]))) {
                for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                  long seed = Long.parseLong(words[2]);
                  int dimensions = Integer.parseInt(words[3]);
                  statement.setString(1, "cloud".equals(words[6]) ? cloudQuery(seed, i, dimensions)
                      : query(seed, i, dimensions));
                  count(statement.executeQuery());
                }
              }
              System.out.println("costly " + words[1]);
              break;
            case "show":
              try (Statement statement = connection.createStatement();
                  ResultSet value = statement.executeQuery("SHOW " + words[1])) {
                value.next();
                System.out.println("show " + words[1] + " " + value.getString(1));
              }
              break;
            case "plain":
              try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
                statement.execute("DROP TABLE IF EXISTS " + PLAIN_TABLE);
                statement.execute("CREATE TABLE " + PLAIN_TABLE + " (id bigserial PRIMARY KEY, embedding vector(8))");
                statement.execute("INSERT INTO " + PLAIN_TABLE + " (embedding) SELECT ARRAY[random(), random(),"
                    + " random(), random(), random(), random(), random(), random()]::vector"
                    + " FROM generate_series(1, " + Integer.parseInt(words[1]) + ")");
                statement.execute("ANALYZE " + PLAIN_TABLE);
              }
              System.out.println("plain done");
              break;
            case "plainsearch":
              try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM "
                  + PLAIN_TABLE + " ORDER BY embedding <-> ?::vector LIMIT 10")) {
                for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                  statement.setString(1, "[0.5,0.5,0.5,0.5,0.5,0.5,0.5," + (i % 10) / 10.0 + "]");
                  statement.executeQuery().close();
                  Thread.sleep(Long.parseLong(words[2]));
                }
              }
              System.out.println("searched " + words[1]);
              break;
            case "plainindex":
              try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE INDEX ON " + PLAIN_TABLE + " USING hnsw (embedding vector_l2_ops)");
                statement.execute("ANALYZE " + PLAIN_TABLE);
              }
              System.out.println("plainindex done");
              break;
            case "filtered":
              try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
                statement.execute("DROP TABLE IF EXISTS " + FILTERED_TABLE);
                statement.execute("CREATE TABLE " + FILTERED_TABLE + " (id bigserial PRIMARY KEY,"
                    + " category int, embedding vector(8))");
                statement.execute("INSERT INTO " + FILTERED_TABLE + " (category, embedding) SELECT i % 10,"
                    + " ARRAY[random(), random(), random(), random(), random(), random(), random(),"
                    + " random()]::vector FROM generate_series(1, " + Integer.parseInt(words[1]) + ") AS i");
                statement.execute("CREATE INDEX ON " + FILTERED_TABLE + " USING hnsw (embedding vector_l2_ops)");
                statement.execute("ANALYZE " + FILTERED_TABLE);
              }
              System.out.println("filtered done");
              break;
            case "filteredsearch":
              try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM "
                  + FILTERED_TABLE + " WHERE category = 1 ORDER BY embedding <-> ?::vector LIMIT 20")) {
                for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                  statement.setString(1, "[0.5,0.5,0.5,0.5,0.5,0.5,0.5," + (i % 10) / 10.0 + "]");
                  count(statement.executeQuery());
                }
              }
              System.out.println("searched " + words[1]);
              break;
            case "quit":
              return;
            default:
              System.out.println("unknown command " + line);
          }
        } catch (SQLException e) {
          System.out.println("failed " + e.getMessage());
        }
      }
    }
  }

  private static void setup(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
      statement.execute("DROP TABLE IF EXISTS " + TABLE);
      statement.execute("CREATE TABLE " + TABLE + " (id bigserial PRIMARY KEY, embedding vector(3))");
      statement.execute("INSERT INTO " + TABLE + " (embedding) SELECT ARRAY[i % 7, i % 5, i % 3]::vector"
          + " FROM generate_series(1, 60) AS i");
      statement.execute("CREATE INDEX ON " + TABLE + " USING hnsw (embedding vector_l2_ops)");
      statement.execute("DROP TABLE IF EXISTS " + TABLE + "_ivf");
      statement.execute("CREATE TABLE " + TABLE + "_ivf (id bigserial PRIMARY KEY, embedding vector(3))");
      statement.execute("INSERT INTO " + TABLE + "_ivf (embedding) SELECT ARRAY[i % 11, i % 13, i % 17]::vector"
          + " FROM generate_series(1, 200) AS i");
      statement.execute("CREATE INDEX ON " + TABLE + "_ivf USING ivfflat (embedding vector_l2_ops)"
          + " WITH (lists = 4)");
      statement.execute("DROP TABLE IF EXISTS " + TABLE + "_bits");
      statement.execute("CREATE TABLE " + TABLE + "_bits (id bigserial PRIMARY KEY, flags bit(8))");
      statement.execute("INSERT INTO " + TABLE + "_bits (flags) SELECT (i % 256)::bit(8)"
          + " FROM generate_series(1, 64) AS i");
    }
  }

  /** The table of the recall test. */
  public static final String RECALL_TABLE = "pulse_it_recall";
  /** The same vectors under an IVFFlat index. */
  public static final String IVF_RECALL_TABLE = "pulse_it_recall_ivf";

  /** The advisor test's table without a vector index (until plainindex). */
  public static final String PLAIN_TABLE = "pulse_it_plain";
  /** The advisor test's table searched with a filter. */
  public static final String FILTERED_TABLE = "pulse_it_filtered";

  /** Query vector number {@code i} of a seed, near the clusters of {@link #clustered}. */
  public static String query(long seed, int i) {
    return query(seed, i, 16);
  }

  /** The same with {@code dimensions} dimensions. */
  public static String query(long seed, int i, int dimensions) {
    java.util.Random random = new java.util.Random(seed * 1_000_003L + i);
    StringBuilder vector = new StringBuilder("[");
    int cluster = random.nextInt(50);
    for (int d = 0; d < dimensions; d++) {
      vector.append(d == 0 ? "" : ",").append(cluster * 0.1 + random.nextDouble() * 0.05);
    }
    return vector.append(']').toString();
  }

  /**
   * Query vector number {@code i} of a seed in the cloud {@link #cloudRows} adds: far from the
   * clusters, wide, across many of the lists an IVFFlat index built on the clusters has.
   */
  public static String cloudQuery(long seed, int i, int dimensions) {
    java.util.Random random = new java.util.Random(seed * 1_000_003L + i);
    StringBuilder vector = new StringBuilder("[");
    for (int d = 1; d <= dimensions; d++) {
      vector.append(d == 1 ? "" : ",").append((d % 2) * 5 + random.nextDouble() * 3);
    }
    return vector.append(']').toString();
  }

  /** Adds rows of the cloud {@link #cloudQuery} searches to a table of {@code dimensions}-d vectors. */
  public static String cloudRows(String table, int rows, int dimensions) {
    return "INSERT INTO " + table + " (embedding) SELECT (SELECT array_agg((d % 2) * 5 + random() * 3"
        + " + i * 0) FROM generate_series(1, " + dimensions + ") AS d)::vector FROM generate_series(1, "
        + rows + ") AS i";
  }

  /**
   * 50 tight clusters of vectors under the index {@code index} ("USING ..." without the USING):
   * for the HNSW test a small graph (such as m 4, ef_construction 8) so that a low ef_search really
   * misses neighbours; for IVFFlat more lists than clusters, so each cluster is split and one probe
   * misses neighbours. One INSERT ... SELECT.
   */
  private static void clustered(Connection connection, String table, int rows, int dimensions,
      String index) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
      statement.execute("DROP TABLE IF EXISTS " + table);
      statement.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, embedding vector(" + dimensions + "))");
      statement.execute("SELECT setseed(0.42)");
      statement.execute("INSERT INTO " + table + " (embedding) SELECT (SELECT array_agg("
          + "(i % 50) * 0.1 + random() * 0.05 + d * 0) FROM generate_series(1, " + dimensions + ") AS d)::vector"
          + " FROM generate_series(1, " + rows + ") AS i");
      statement.execute("CREATE INDEX ON " + table + " USING " + index);
      statement.execute("ANALYZE " + table);
    }
  }

  private static void count(ResultSet rows) throws SQLException {
    int count = 0;
    while (rows.next()) {
      count++;
    }
    rows.close();
    System.out.println("rows " + count);
  }
}
