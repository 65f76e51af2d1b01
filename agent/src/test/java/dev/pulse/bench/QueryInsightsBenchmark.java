package dev.pulse.bench;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.agent.leaks.LeakDetector;
import dev.pulse.agent.queries.QueryStats;
import dev.pulse.testing.JdbcFakes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the query table and the leak detector add on the application's thread, apart from any
 * driver: the hooks' statement exit and a borrow and return, with no feature listening ("none"),
 * with the query table ("queries": a statement whose text was seen before), and with leak
 * detection on ("leaks": a stack captured, a check scheduled and cancelled per borrow). The
 * difference to "none" is each feature's cost. Stand-in JDBC objects (no database).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class QueryInsightsBenchmark {
  @Param({"none", "queries", "leaks"})
  public String listening;

  private final Hooks hooks = new Hooks();
  private final CallContext context = new CallContext();
  private final Object dataSource = new Object();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private Connection connection;
  private PreparedStatement statement;

  @Setup(Level.Trial)
  public void start() {
    scheduler.setRemoveOnCancelPolicy(true);
    if (listening.equals("queries")) {
      hooks.add(new QueryStats(2000, TimeUnit.SECONDS.toNanos(1), event -> { }, source -> "bench",
          resultSet -> -1, source -> "h2database", "bench-queries"));
    } else if (listening.equals("leaks")) {
      hooks.add(new LeakDetector(TimeUnit.MINUTES.toNanos(10), scheduler, event -> { },
          source -> "bench"));
    }
    connection = JdbcFakes.connection();
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, connection, null, false);
    statement = JdbcFakes.statement(connection);
    hooks.prepareEnter(context);
    hooks.prepareExit(context, connection, statement, "SELECT ?");
    statementExecuted(); // the text is shaped once, on the agent's thread
  }

  @TearDown(Level.Trial)
  public void stop() {
    scheduler.shutdownNow();
  }

  @Benchmark
  public void statementExecuted() {
    hooks.statementExit(context, hooks.statementEnter(context), statement, null, null, null);
  }

  @Benchmark
  public void borrowAndReturn() {
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, connection, null, false);
    hooks.connectionCloseExit(context, connection, hooks.connectionCloseEnter(context, connection));
  }
}
