package dev.pulse.agent.hosts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * An application that reaches its HikariCP pool ("spring-proxy-pool") through one of Spring's
 * lazy DataSources (the first argument: "transaction-aware", as Spring Boot's jOOQ support does,
 * or "lazy"; the JDBC URL the second), which hand out JDK proxies and borrow on first use; it
 * knows nothing of the agent. Commands on stdin, each answered by a line once done:
 *
 * <pre>
 * work     20 connections from {@link #work}, each running one statement, each closed: "work done"
 * keep     a connection from {@link #useAndKeep}, used and kept: "kept"
 * return   closes it: "returned"
 * quit
 * </pre>
 */
public final class SpringProxyHost {
  public static final int ROUNDS = 20;
  private static DataSource dataSource;
  private static Connection kept;

  private SpringProxyHost() {
  }

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[1]);
    config.setPoolName("spring-proxy-pool");
    config.setMaximumPoolSize(4);
    HikariDataSource pool = new HikariDataSource(config);
    dataSource = "lazy".equals(args[0]) ? new LazyConnectionDataSourceProxy(pool)
        : new TransactionAwareDataSourceProxy(pool);
    System.out.println("host ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
      switch (line.trim()) {
        case "work":
          work();
          System.out.println("work done");
          break;
        case "keep":
          useAndKeep();
          System.out.println("kept");
          break;
        case "return":
          kept.close();
          System.out.println("returned");
          break;
        default:
          System.out.println("unknown command " + line);
      }
    }
    pool.close();
  }

  private static void work() throws SQLException {
    for (int i = 0; i < ROUNDS; i++) {
      try (Connection connection = dataSource.getConnection()) {
        select(connection, i);
      }
    }
  }

  private static void useAndKeep() throws SQLException {
    kept = dataSource.getConnection();
    select(kept, -1);
  }

  private static void select(Connection connection, int value) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT ?::int + 1")) {
      select.setInt(1, value);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
      }
    }
  }
}
