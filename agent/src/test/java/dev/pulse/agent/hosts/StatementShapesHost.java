package dev.pulse.agent.hosts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Keeps and shares statements the way statement caches, MyBatis' reuse executor and hand-written
 * DAOs do, on a HikariCP pool named shapes-pool (which checks connections with a test query, as
 * pools set up for old drivers do), driven line by line on stdin. After each command
 * it prints "CMD done N": N is the statements it executed (each batched one counted). Vector
 * searches go to pulse_shapes_items; "marker" searches pulse_shapes_marker once, so a client can
 * tell where a command's searches end. Knows nothing of the agent, except "tracked", which asks it
 * how many statements it holds.
 *
 * <pre>
 * setup       tables, 20 vectors
 * kept        one search prepared once, executed 50 times, six other prepared statements between
 * threads     a search prepared on this thread, executed 5 times on another
 * callable    a search through prepareCall, executed 3 times
 * batch       batches: 5 prepared inserts, 3 plain inserts, a searching insert batched 4 times
 *             and executed twice, a cleared batch then 1 insert
 * large       the large forms: 3 prepared inserts through executeLargeBatch, 2 plain ones, an
 *             executeLargeUpdate of each kind, each batch followed by an empty executeBatch
 * keys        generated keys (2 + 1 inserts), result-set options (2 + 2 searches)
 * handoff     a connection borrowed here, used on another thread: 3 searches, 1 update, 1 plain search
 * evicted     a plain statement whose connection's backend is terminated by its first query (the
 *             pool evicts the connection), then run twice more: 3 statements, all failed
 * copy        pgjdbc's COPY of a whole stream: 3 rows in, then all rows out (2 statements)
 * marker      one search of pulse_shapes_marker
 * many N      N distinct statements prepared and closed (every 100th executed)
 * dropped N   N distinct statements prepared on a plain connection and never closed, then dropped
 * tracked     "tracked N": statements the agent holds now, after a collection
 * quit
 * </pre>
 */
public final class StatementShapesHost {
  static final String SEARCH =
      "SELECT id FROM pulse_shapes_items ORDER BY embedding <-> ?::vector LIMIT ?";

  private StatementShapesHost() {
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName("shapes-pool");
    config.setMaximumPoolSize(4);
    config.setConnectionTestQuery("SELECT 1");
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      System.out.println("host ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split("\\s+");
        if (words[0].equals("quit")) {
          break;
        }
        int executed;
        switch (words[0]) {
          case "setup": executed = setup(dataSource); break;
          case "kept": executed = kept(dataSource); break;
          case "threads": executed = threads(dataSource); break;
          case "callable": executed = callable(dataSource); break;
          case "batch": executed = batch(dataSource); break;
          case "large": executed = large(dataSource); break;
          case "keys": executed = keys(dataSource); break;
          case "handoff": executed = handoff(dataSource); break;
          case "evicted": executed = evicted(dataSource); break;
          case "copy": executed = copy(dataSource); break;
          case "marker": executed = marker(dataSource); break;
          case "many": executed = many(dataSource, Integer.parseInt(words[1])); break;
          case "dropped": executed = dropped(url, Integer.parseInt(words[1])); break;
          case "tracked":
            System.out.println("tracked " + tracked());
            continue;
          default: throw new IllegalArgumentException(line);
        }
        System.out.println(words[0] + " done " + executed);
      }
    }
  }

  private static int setup(HikariDataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      String[] sql = {"CREATE EXTENSION IF NOT EXISTS vector",
          "DROP TABLE IF EXISTS pulse_shapes_items, pulse_shapes_hits, pulse_shapes_marker",
          "CREATE TABLE pulse_shapes_items (id int PRIMARY KEY, embedding vector(3))",
          "INSERT INTO pulse_shapes_items SELECT i, ARRAY[i, i % 5, i % 7]::vector"
              + " FROM generate_series(1, 20) i",
          "CREATE TABLE pulse_shapes_hits (n serial PRIMARY KEY, id int)",
          "CREATE TABLE pulse_shapes_marker (embedding vector(3))",
          "INSERT INTO pulse_shapes_marker VALUES ('[1,1,1]')"};
      for (String each : sql) {
        statement.execute(each);
      }
      return sql.length;
    }
  }

  private static int kept(HikariDataSource dataSource) throws SQLException {
    int executed = 0;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement search = connection.prepareStatement(SEARCH)) {
      for (int i = 0; i < 50; i++) {
        executed += search(search, 3);
        for (int j = 0; j < 6; j++) {
          try (PreparedStatement other = connection.prepareStatement("SELECT ? + " + j)) {
            other.setInt(1, i);
            read(other.executeQuery());
            executed++;
          }
        }
      }
    }
    return executed;
  }

  private static int threads(HikariDataSource dataSource) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement search = connection.prepareStatement(SEARCH)) {
      return onAnotherThread(() -> {
        int executed = 0;
        for (int i = 0; i < 5; i++) {
          executed += search(search, 2);
        }
        return executed;
      });
    }
  }

  private static int callable(HikariDataSource dataSource) throws SQLException {
    int executed = 0;
    try (Connection connection = dataSource.getConnection();
        CallableStatement search = connection.prepareCall(SEARCH)) {
      for (int i = 0; i < 3; i++) {
        executed += search(search, 4);
      }
    }
    return executed;
  }

  private static int batch(HikariDataSource dataSource) throws SQLException {
    int executed = 0;
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO pulse_shapes_hits (id) VALUES (?)")) {
        for (int i = 0; i < 5; i++) {
          insert.setInt(1, i);
          insert.addBatch();
        }
        executed += insert.executeBatch().length;
        insert.setInt(1, 98);
        insert.addBatch();
        insert.setInt(1, 99);
        insert.addBatch();
        insert.clearBatch();
        insert.setInt(1, 100);
        insert.addBatch();
        executed += insert.executeBatch().length;
      }
      try (Statement plain = connection.createStatement()) {
        for (int i = 0; i < 3; i++) {
          plain.addBatch("INSERT INTO pulse_shapes_hits (id) VALUES (" + (200 + i) + ")");
        }
        executed += plain.executeBatch().length;
      }
      try (PreparedStatement searching = connection.prepareStatement("INSERT INTO pulse_shapes_hits"
          + " (id) SELECT id FROM pulse_shapes_items ORDER BY embedding <-> ?::vector LIMIT 3")) {
        for (int round = 0; round < 2; round++) {
          for (int i = 0; i < 4; i++) {
            searching.setString(1, "[" + i + ",1,1]");
            searching.addBatch();
          }
          executed += searching.executeBatch().length;
        }
      }
    }
    return executed;
  }

  private static int large(HikariDataSource dataSource) throws SQLException {
    long executed = 0;
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO pulse_shapes_hits (id) VALUES (?)")) {
        for (int i = 0; i < 3; i++) {
          insert.setInt(1, 400 + i);
          insert.addBatch();
        }
        executed += insert.executeLargeBatch().length;
        executed += insert.executeBatch().length; // empty: runs nothing
        insert.setInt(1, 410);
        executed += insert.executeLargeUpdate();
      }
      try (Statement plain = connection.createStatement()) {
        for (int i = 0; i < 2; i++) {
          plain.addBatch("INSERT INTO pulse_shapes_hits (id) VALUES (" + (420 + i) + ")");
        }
        executed += plain.executeLargeBatch().length;
        executed += plain.executeBatch().length;
        executed += plain.executeLargeUpdate("INSERT INTO pulse_shapes_hits (id) VALUES (430)");
      }
    }
    return (int) executed;
  }

  private static int evicted(HikariDataSource dataSource) {
    int executed = 0;
    try (Connection connection = dataSource.getConnection();
        Statement plain = connection.createStatement()) {
      for (String sql : new String[] {"SELECT pg_terminate_backend(pg_backend_pid())", "SELECT 1",
          "SELECT 2"}) {
        executed++;
        try {
          plain.executeQuery(sql).close();
        } catch (SQLException expected) {
          // the backend is gone: the first fails with 57P01, the others on the closed connection
        }
      }
    } catch (SQLException closing) {
      // the evicted connection's statement and proxy may complain as they close
    }
    return executed;
  }

  private static int copy(HikariDataSource dataSource) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      copy.copyIn("COPY pulse_shapes_hits (id) FROM STDIN", new StringReader("500\n501\n502\n"));
      copy.copyOut("COPY pulse_shapes_hits (id) TO STDOUT", new StringWriter());
    }
    return 2;
  }

  private static int keys(HikariDataSource dataSource) throws SQLException {
    int executed = 0;
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO pulse_shapes_hits (id) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
        for (int i = 0; i < 2; i++) {
          insert.setInt(1, 300 + i);
          insert.executeUpdate();
          read(insert.getGeneratedKeys());
          executed++;
        }
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO pulse_shapes_hits (id) VALUES (?)", new String[] {"n"})) {
        insert.setInt(1, 310);
        insert.executeUpdate();
        executed++;
      }
      try (PreparedStatement search = connection.prepareStatement(SEARCH,
          ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY)) {
        executed += search(search, 5);
        executed += search(search, 5);
      }
      try (PreparedStatement search = connection.prepareStatement(SEARCH,
          ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
          ResultSet.HOLD_CURSORS_OVER_COMMIT)) {
        executed += search(search, 6);
        executed += search(search, 6);
      }
    }
    return executed;
  }

  private static int handoff(HikariDataSource dataSource) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      return onAnotherThread(() -> {
        int executed = 0;
        try (PreparedStatement search = connection.prepareStatement(SEARCH)) {
          for (int i = 0; i < 3; i++) {
            executed += search(search, 2);
          }
        }
        try (PreparedStatement update =
            connection.prepareStatement("UPDATE pulse_shapes_hits SET id = id WHERE n < 0")) {
          update.executeUpdate();
          executed++;
        }
        try (Statement plain = connection.createStatement()) {
          read(plain.executeQuery(
              "SELECT id FROM pulse_shapes_items ORDER BY embedding <-> '[1,2,3]' LIMIT 2"));
          executed++;
        }
        return executed;
      });
    }
  }

  private static int marker(HikariDataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      read(statement.executeQuery(
          "SELECT 1 FROM pulse_shapes_marker ORDER BY embedding <-> '[1,1,1]' LIMIT 1"));
      return 1;
    }
  }

  private static int many(HikariDataSource dataSource, int count) throws SQLException {
    int executed = 0;
    try (Connection connection = dataSource.getConnection()) {
      for (int i = 0; i < count; i++) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + i)) {
          if (i % 100 == 0) {
            read(statement.executeQuery());
            executed++;
          }
        }
      }
    }
    return executed;
  }

  private static int dropped(String url, int count) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
      List<PreparedStatement> kept = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        kept.add(connection.prepareStatement("SELECT " + i + " AS dropped"));
      }
      kept.clear(); // never closed: only the garbage collector learns they are gone
    }
    return 0;
  }

  /** The statements the agent holds, once what the application dropped was collected. */
  private static int tracked() throws Exception {
    Object hooks = Class.forName("dev.pulse.agent.instrumentation.PulseHooks")
        .getMethod("hooks").invoke(null);
    java.lang.reflect.Method count = hooks.getClass().getMethod("trackedStatements");
    int tracked = (Integer) count.invoke(hooks);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (tracked > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(50);
      tracked = (Integer) count.invoke(hooks);
    }
    return tracked;
  }

  private static int search(PreparedStatement search, int k) throws SQLException {
    search.setString(1, "[1,2,3]");
    search.setInt(2, k);
    read(search.executeQuery());
    return 1;
  }

  private static void read(ResultSet rows) throws SQLException {
    try (rows) {
      while (rows.next()) {
        rows.getObject(1);
      }
    }
  }

  /** A piece of JDBC work on another thread. */
  private interface Work {
    int run() throws Exception;
  }

  private static int onAnotherThread(Work work) throws Exception {
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        outcome.set(work.run());
      } catch (Exception e) {
        outcome.set(e);
      }
    }, "shapes-other-thread");
    thread.start();
    thread.join();
    if (outcome.get() instanceof Exception) {
      throw (Exception) outcome.get();
    }
    return (Integer) outcome.get();
  }
}
