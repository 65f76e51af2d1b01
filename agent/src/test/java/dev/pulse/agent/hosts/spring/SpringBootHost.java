package dev.pulse.agent.hosts.spring;

import javax.sql.DataSource;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Spring Boot application whose pool comes from Spring Boot's auto-configuration (URL and pool
 * name as properties on the command line); it runs N statements through JdbcTemplate, says so, and
 * lives until a line "quit" on its input. Knows nothing of the agent.
 */
@SpringBootApplication
public class SpringBootHost implements CommandLineRunner {
  static final int STATEMENTS = 25;

  private final JdbcTemplate jdbc;
  private final DataSource dataSource;

  public SpringBootHost(JdbcTemplate jdbc, DataSource dataSource) {
    this.jdbc = jdbc;
    this.dataSource = dataSource;
  }

  public static void main(String[] args) {
    SpringApplication.run(SpringBootHost.class, args);
  }

  @Override
  public void run(String... args) throws Exception {
    int sum = 0;
    for (int i = 0; i < STATEMENTS; i++) {
      sum += jdbc.queryForObject("select ?::int", Integer.class, i);
    }
    System.out.println("spring host datasource " + dataSource.getClass().getName());
    System.out.println("spring host ran " + STATEMENTS + " statements (sum " + sum + ")");
    // lives until told to end (a line "quit", or the end of its input), whatever the machine's speed
    java.io.BufferedReader in = new java.io.BufferedReader(
        new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
      // nothing else to do
    }
    System.out.println("spring host finished");
  }
}
