package dev.pulse.agent.hosts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Loads its JDBC classes while the agent is being loaded into it: prints "host started", waits
 * (up to two minutes) until the agent's loading has begun, which it sees from the agent's jar
 * being on the system class path (the JVM appends it before the agent starts), then at once starts a HikariCP pool named race-pool and
 * makes a statement and a prepared statement (loading HikariCP's and the driver's classes), and
 * prints "classes loaded" (or "agent never came"). On a line "run" it executes 3 statements and 2
 * prepared ones and prints "host executed 5"; it ends on "quit". Argument: the JDBC URL.
 */
public final class AttachRaceHost {
  /** A class of the agent jar's visible part, found once the JVM appended the jar. */
  private static final String AGENT_CLASS = "dev/pulse/agent/instrumentation/PulseHooks.class";

  private AttachRaceHost() {
  }

  public static void main(String[] args) throws Exception {
    System.out.println("host started");
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!agentLoading() && System.nanoTime() < deadline) {
      Thread.sleep(1); // the agent's start takes milliseconds before its transformer is registered
    }
    if (!agentLoading()) {
      System.out.println("agent never came");
      return;
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setPoolName("race-pool");
    config.setMaximumPoolSize(2);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement();
          PreparedStatement prepared = connection.prepareStatement("SELECT ?::int")) {
        System.out.println("classes loaded");
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
        if (line.trim().equals("run")) {
          System.out.println("host executed " + FiveStatements.run(dataSource));
        }
      }
    }
  }

  private static boolean agentLoading() {
    return ClassLoader.getSystemClassLoader().getResource(AGENT_CLASS) != null;
  }
}
