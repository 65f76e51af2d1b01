package dev.pulse.agent.hosts;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.vibur.dbcp.ViburDBCPDataSource;

/**
 * An application on a pool whose connections are JDK proxies (the first argument: "tomcat",
 * "tomcat-pooled" or "vibur", see {@link #tomcat}; the JDBC URL the second), named "KIND-pool",
 * with an init SQL run on each connection it opens; it knows nothing of the agent. Commands on stdin, each answered by a line once done:
 *
 * <pre>
 * work     20 borrows from {@link #work}, each running one prepared and one plain statement, each
 *          connection closed: "work done"
 * abort    borrows a connection in {@link #abortWithoutClose} and aborts it, never closing it (in
 *          Vibur an abort gives the connection back): "aborted"
 * leak     borrows a connection in {@link #borrowAndKeep} and keeps it: "leak borrowed"
 * return   closes the kept connection: "leak returned"
 * quit
 * </pre>
 */
public final class ProxyPoolHost {
  public static final int ROUNDS = 20;
  /** The pool's own statement on each connection it opens: never the application's. */
  public static final String INIT_SQL = "SET application_name = 'pulse-proxy-pool'";
  private static DataSource dataSource;
  private static Connection kept;

  private ProxyPoolHost() {
  }

  public static void main(String[] args) throws Exception {
    dataSource = args[0].equals("vibur") ? vibur(args[1]) : tomcat(args[0], args[1]);
    System.out.println("host ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
      switch (line.trim()) {
        case "work":
          work();
          System.out.println("work done");
          break;
        case "abort":
          abortWithoutClose();
          System.out.println("aborted");
          break;
        case "leak":
          borrowAndKeep();
          System.out.println("leak borrowed");
          break;
        case "return":
          kept.close();
          System.out.println("leak returned");
          break;
        default:
          System.out.println("unknown command " + line);
      }
    }
    ((AutoCloseable) dataSource).close();
  }

  /**
   * "tomcat": the pool opens connections through the driver; "tomcat-pooled": through pgjdbc's
   * ConnectionPoolDataSource, whose connections are the driver's own JDK proxies.
   */
  private static DataSource tomcat(String kind, String url) {
    PoolProperties properties = new PoolProperties();
    if (kind.equals("tomcat-pooled")) {
      PGConnectionPoolDataSource driverPool = new PGConnectionPoolDataSource();
      driverPool.setURL(url);
      properties.setDataSource(driverPool);
    } else {
      properties.setUrl(url);
      properties.setDriverClassName("org.postgresql.Driver");
    }
    properties.setName(kind + "-pool");
    properties.setMaxActive(4);
    properties.setInitialSize(1);
    properties.setInitSQL(INIT_SQL);
    return new org.apache.tomcat.jdbc.pool.DataSource(properties);
  }

  private static DataSource vibur(String url) {
    ViburDBCPDataSource vibur = new ViburDBCPDataSource();
    vibur.setJdbcUrl(url);
    // Vibur hands the driver its own user and password, which it needs set: the URL's
    vibur.setUsername(urlParameter(url, "user"));
    vibur.setPassword(urlParameter(url, "password"));
    vibur.setName("vibur-pool");
    vibur.setPoolInitialSize(1);
    vibur.setPoolMaxSize(4);
    vibur.setInitSQL(INIT_SQL);
    vibur.start();
    return vibur;
  }

  private static String urlParameter(String url, String name) {
    Matcher parameter = Pattern.compile("[?&]" + name + "=([^&]*)").matcher(url);
    return parameter.find() ? parameter.group(1) : "";
  }

  private static void work() throws SQLException {
    for (int i = 0; i < ROUNDS; i++) {
      try (Connection connection = dataSource.getConnection()) {
        try (PreparedStatement lookup =
            connection.prepareStatement("SELECT count(*) FROM pg_class WHERE oid > ?")) {
          lookup.setInt(1, i);
          try (ResultSet rows = lookup.executeQuery()) {
            rows.next();
          }
        }
        try (Statement plain = connection.createStatement()) {
          plain.execute("SELECT 2");
        }
      }
    }
  }

  private static void abortWithoutClose() throws SQLException {
    dataSource.getConnection().abort(Runnable::run);
  }

  private static void borrowAndKeep() throws SQLException {
    kept = dataSource.getConnection();
  }
}
