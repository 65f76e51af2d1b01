package dev.pulse.agent.hosts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application that uses a ByteBuddy of its own at run time (whatever version its class path
 * brings), then runs statements on a HikariCP pool. Knows nothing of the agent.
 *
 * <p>Arguments: JDBC_URL STATEMENTS. Prints "made by ByteBuddy from JAR", "statements N", then
 * stays up until stdin closes.
 */
public final class ByteBuddyHost {
  private ByteBuddyHost() {
  }

  public static void main(String[] args) throws Exception {
    Class<?> made = new ByteBuddy().subclass(Object.class)
        .method(ElementMatchers.named("toString"))
        .intercept(FixedValue.value("made by ByteBuddy from " + java.nio.file.Paths.get(
            ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getFileName()))
        .make().load(ByteBuddyHost.class.getClassLoader()).getLoaded();
    System.out.println(made.getDeclaredConstructor().newInstance());
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setPoolName("bytebuddy-host");
    config.setMaximumPoolSize(2);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      int statements = Integer.parseInt(args[1]);
      for (int i = 0; i < statements; i++) {
        try (Connection connection = dataSource.getConnection();
            Statement statement = connection.createStatement()) {
          statement.execute("select 1");
        }
      }
      System.out.println("statements " + statements);
      while (System.in.read() >= 0) {
        // until the test closes stdin
      }
    }
  }
}
