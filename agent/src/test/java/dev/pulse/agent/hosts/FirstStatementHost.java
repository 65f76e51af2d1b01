package dev.pulse.agent.hosts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Uses JDBC from the first instruction of main, before anything else: a HikariCP pool named
 * first-pool, then 3 plain statements and 2 prepared ones, then prints "host executed 5" and keeps
 * the pool open until a line "quit" (or the end of its input). Its JDBC classes are the first the
 * agent weaves, while the agent's start-up thread is still starting the stream. Argument: the
 * JDBC URL.
 */
public final class FirstStatementHost {
  private FirstStatementHost() {
  }

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setPoolName("first-pool");
    config.setMaximumPoolSize(2);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      int executed = FiveStatements.run(dataSource);
      System.out.println("host executed " + executed);
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
        // the pool stays open for the agent's pool_stats
      }
    }
  }
}
