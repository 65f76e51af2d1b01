package dev.pulse.agent.vector;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Hooks;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
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
 * What vector-search tracking adds on the application's thread, measured apart from the database:
 * the verdict lookup every statement pays, and the whole bookkeeping of a vector search (reading k
 * and the row count from pgjdbc, the settings in effect, building and publishing the event), run
 * against a real executed search on PostgreSQL (PULSE_TEST_JDBC_URL). Recall sampling is off here.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class VectorOverheadBenchmark {
  private static final String OTHER_SQL = "SELECT id, name FROM customers WHERE id = ?";
  private static final String SEARCH_SQL =
      "SELECT id FROM pulse_bench_vectors ORDER BY embedding <-> ?::vector LIMIT ?";

  private final VectorSearchDetector detector = new VectorSearchDetector();
  private final Hooks hooks = new Hooks();
  private final CallContext context = new CallContext();
  /** Hooks whose recorder lets one event a second through: nearly every search is sampled out. */
  private final Hooks sampledHooks = new Hooks();
  private final CallContext sampledContext = new CallContext();
  private Connection connection;
  private PreparedStatement search;
  private ResultSet result;
  private long published;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    connection = DriverManager.getConnection(System.getenv("PULSE_TEST_JDBC_URL"));
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
      statement.execute("DROP TABLE IF EXISTS pulse_bench_vectors");
      statement.execute("CREATE TABLE pulse_bench_vectors (id bigserial, embedding vector(3))");
      statement.execute("INSERT INTO pulse_bench_vectors (embedding)"
          + " SELECT ARRAY[i, i % 7, i % 11]::vector FROM generate_series(1, 100) i");
    }
    search = connection.prepareStatement(SEARCH_SQL);
    search.setString(1, "[1,2,3]");
    search.setInt(2, 10);
    result = search.executeQuery();
    hooks.add(new VectorSearchRecorder(event -> published++, 0, 1, pool -> null, source -> "bench"));
    hooks.prepareEnter(context); // prepare's advice runs enter, then exit: the depth must match
    hooks.prepareExit(context, connection, search, SEARCH_SQL);
    // one event a second: its first search has an event, nearly all the others none
    sampledHooks.add(new VectorSearchRecorder(event -> published++, 0, 1, pool -> null,
        source -> "bench", null, null, false, 1, () -> { }));
    sampledHooks.prepareEnter(sampledContext);
    sampledHooks.prepareExit(sampledContext, connection, search, SEARCH_SQL);
    bookkeepingOfOneSearch();
    bookkeepingOfOneSampledOutSearch();
    if (published != 2) { // hooks that see no search would measure nothing
      throw new IllegalStateException(published + " events from the first search of each");
    }
    detector.classify(OTHER_SQL);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    connection.close();
  }

  /** Every statement that is no vector search pays this: one cached lookup. */
  @Benchmark
  public Object verdictForOtherStatement() {
    return detector.classify(OTHER_SQL);
  }

  /** A vector search pays this on top of its own time (the hooks' own share included). */
  @Benchmark
  public void bookkeepingOfOneSearch() {
    hooks.statementExit(context, hooks.statementEnter(context), search, null, result, null);
  }

  /**
   * A search above vector.events.rate whose event is sampled out pays this: the same reads of k and
   * the row count, the collection's figures and the rate's decision; no settings, no event.
   */
  @Benchmark
  public void bookkeepingOfOneSampledOutSearch() {
    sampledHooks.statementExit(sampledContext, sampledHooks.statementEnter(sampledContext), search,
        null, result, null);
  }
}
