package dev.pulse.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A statement that fails, again and again (a storm of one failure): a PreparedStatement of
 * "SELECT 1 / ?" bound to 0 on a connection borrowed from HikariCP over in-memory H2, where what
 * the agent adds to the failing thread is not hidden by a network round trip. It knows nothing
 * of any agent: scripts/bench-firewall.sh runs it without one and with Pulse, side by side.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class FailingStatementBenchmark {
  private HikariDataSource dataSource;
  private Connection connection;
  private PreparedStatement statement;

  @Setup(Level.Trial)
  public void start() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:failing;DB_CLOSE_DELAY=-1");
    config.setMaximumPoolSize(2);
    config.setPoolName("failing");
    dataSource = new HikariDataSource(config);
    connection = dataSource.getConnection();
    statement = connection.prepareStatement("SELECT 1 / ?");
  }

  @TearDown(Level.Trial)
  public void stop() throws SQLException {
    statement.close();
    connection.close();
    dataSource.close();
  }

  @Benchmark
  public Object failingStatement() {
    try {
      statement.setInt(1, 0);
      try (ResultSet result = statement.executeQuery()) {
        throw new IllegalStateException("division by zero did not fail");
      }
    } catch (SQLException expected) {
      return expected;
    }
  }
}
