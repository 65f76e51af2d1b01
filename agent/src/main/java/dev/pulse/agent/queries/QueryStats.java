package dev.pulse.agent.queries;

import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.JdbcListener;
import dev.pulse.agent.instrumentation.StatementEvent;
import dev.pulse.broadcaster.Event;
import dev.pulse.threads.HandOff;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Statements grouped per pool by shape (see {@link SqlShape}). On the application's thread a
 * statement whose text was seen before costs a map read and two to four atomic adds, recorded once
 * in its shape (the per-operation figures the export reads are summed from the shapes on the
 * agent's thread, see {@link OperationStats}); a text not seen
 * before is handed, with its figures, to the agent's thread, which shapes it, records it and
 * remembers the text. At most {@code maxShapes} shapes are kept over all pools: past that, the
 * least called tenth goes, counted per pool.
 */
public final class QueryStats implements JdbcListener {
  /** Statements waiting to be shaped; past this, they are counted as dropped, never waited on. */
  static final int QUEUE = 8192;
  /** Operation and collection pairs kept over all pools (each a few exported series). */
  static final int MAX_OPERATIONS = 500;
  /** A plain batch's texts read for its shape. */
  static final int BATCH_TEXTS_SHAPED = 32;

  private final ConcurrentHashMap<DataSourceKey, QueryTable> tables = new ConcurrentHashMap<>();
  /** Statements on connections of no known DataSource (DriverManager). */
  private final QueryTable direct = new QueryTable(null);
  /**
   * The table of the latest statement's pool: most hosts run one pool, so the map is seldom read
   * (it cost a statement half the table's time). A plain field: a stale read only costs a map
   * lookup, and a table's fields are final, so a table read through a race is whole.
   */
  private QueryTable latest = direct;
  private final int maxShapes;
  private final SlowQueries slow;
  private final Function<DataSourceKey, String> poolNames;
  private final ToLongFunction<Object> rowCounts;
  private final HandOff<Runnable> worker;
  /** Shapes over all tables; the worker's alone. */
  private int shapes;
  /** Operations over all tables; the worker's alone. */
  private int operations;
  private final Function<DataSourceKey, String> systemNames;

  /**
   * @param rowCounts rows a result holds, read without moving it, or below 0 when unknown
   * @param systemNames a DataSource's db.system.name (null for connections of none), on the
   *     agent's thread
   * @param threadName the worker's thread, built here (on the thread building the agent) and
   *     started by the first statement that needs it
   */
  public QueryStats(int maxShapes, long slowThresholdNanos,
      Consumer<Event> publisher,
      Function<DataSourceKey, String> poolNames, ToLongFunction<Object> rowCounts,
      Function<DataSourceKey, String> systemNames, String threadName) {
    this.systemNames = systemNames;
    this.maxShapes = maxShapes;
    this.slow = new SlowQueries(slowThresholdNanos, publisher);
    this.poolNames = poolNames;
    this.rowCounts = rowCounts;
    this.worker = new HandOff<>(QUEUE, 0, threadName, null, Runnable::run);
  }

  @Override
  public void statementExecuted(StatementEvent event) {
    DataSourceKey source = event.source();
    QueryTable table = latest;
    if (table.source != source) {
      table = source == null ? direct : tables.computeIfAbsent(source, QueryTable::new);
      latest = table;
    }
    long elapsed = event.elapsedNanos();
    int statements = event.count();
    long rows = event.resultSet() == null ? -1 : rowCounts.applyAsLong(event.resultSet());
    String errorType = event.failure() == null ? null : OperationStats.errorType(event.failure());
    String sql = event.sql();
    List<String> several = null; // a plain batch of different texts: shaped on the worker
    if (sql == null) {
      List<String> texts = event.batchTexts();
      if (texts == null || texts.isEmpty()) {
        table.unnamed.recordUnshaped(elapsed, rows, errorType); // nothing says what ran
        return;
      }
      sql = texts.get(0);
      if (!allEqual(texts)) {
        several = texts;
      }
    }
    // the conventions' batch: several statements in one call (a batch of one is a statement)
    boolean batch = statements > 1;
    ShapeStats shape = several == null ? table.byText(sql) : null;
    QueryTable pool = table;
    if (shape != null) {
      ShapeExecutions part = batch ? shape.batch : shape.single;
      if (part == null) {
        worker.offer(() -> record(pool, shape, batch, elapsed, statements, rows, errorType));
      } else {
        record(shape, part, elapsed, statements, rows, errorType);
      }
      if (slow.isSlow(elapsed) && shape.slowAllowed(event.endNanos(), SlowQueries.GAP_NANOS)) {
        StackTraceElement[] stack = new Throwable().getStackTrace();
        String thread = Thread.currentThread().getName();
        long at = System.currentTimeMillis();
        worker.offer(() -> slow.report(poolName(pool), shape, elapsed, rows, thread, stack, at));
      }
      return;
    }
    StackTraceElement[] stack = slow.isSlow(elapsed) ? new Throwable().getStackTrace() : null;
    String thread = stack == null ? null : Thread.currentThread().getName();
    long at = stack == null ? 0 : System.currentTimeMillis();
    long end = event.endNanos();
    String text = sql;
    List<String> texts = several;
    worker.offer(() -> {
      ShapeStats made = texts == null ? shapeOf(pool, text, true)
          : shapeOf(pool, batchText(pool, texts), false); // no application text to remember
      record(pool, made, batch, elapsed, statements, rows, errorType);
      if (stack != null && made.slowAllowed(end, SlowQueries.GAP_NANOS)) {
        slow.report(poolName(pool), made, elapsed, rows, thread, stack, at);
      }
    });
  }

  /** Worker's thread: a statement whose shape had no part of its kind yet, or was new. */
  private void record(QueryTable table, ShapeStats shape, boolean batch, long elapsed,
      int statements, long rows, String errorType) {
    if (shape.evicted) { // evicted while the statement waited: its operation counts it alone
      ShapeExecutions gone = batch ? shape.batch : shape.single;
      OperationStats operation = gone != null ? gone.operation : operationOf(table, shape.sql, batch);
      operation.recordUnshaped(elapsed, rows, errorType);
      return;
    }
    record(shape, partOf(table, shape, batch), elapsed, statements, rows, errorType);
  }

  /** Either thread: a success is one record, in the shape's part; a failure also counts by type. */
  private static void record(ShapeStats shape, ShapeExecutions part, long elapsed, int statements,
      long rows, String errorType) {
    if (errorType == null) {
      part.record(elapsed, statements, rows);
    } else {
      shape.recordFailure(elapsed, statements);
      part.operation.recordFailure(elapsed, errorType);
    }
  }

  /** Worker's thread: the shape's part of this kind, made (and counted in its operation) once. */
  private ShapeExecutions partOf(QueryTable table, ShapeStats shape, boolean batch) {
    ShapeExecutions known = batch ? shape.batch : shape.single;
    if (known != null) {
      return known;
    }
    ShapeExecutions part = new ShapeExecutions(operationOf(table, shape.sql, batch));
    synchronized (this) {
      part.operation.add(part);
    }
    if (batch) {
      shape.batch = part;
    } else {
      shape.single = part;
    }
    return part;
  }

  /**
   * Worker's thread: where a shape's executions count by operation and collection. Past
   * {@link #MAX_OPERATIONS} over all pools, a new pair counts in its pool's overflow.
   */
  private OperationStats operationOf(QueryTable table, String shape, boolean batch) {
    if (table.system == null) {
      table.system = systemNames.apply(table.source);
    }
    SqlOperation named = SqlOperation.of(shape);
    String operation = !batch ? named.operation
        : named.operation == null ? "BATCH" : "BATCH " + named.operation;
    OperationStats stats = operation == null && named.collection == null ? table.unnamed
        : table.operation(operation, named.collection);
    if (stats == null) {
      if (operations >= MAX_OPERATIONS) {
        operations = 0; // pools that went took theirs with them
        for (QueryTable each : allTables()) {
          operations += each.namedOperations();
        }
      }
      if (operations < MAX_OPERATIONS) {
        stats = table.addOperation(operation, named.collection);
        operations++;
      } else {
        stats = table.overflow;
      }
    }
    return stats;
  }

  private static boolean allEqual(List<String> texts) {
    String first = texts.get(0);
    for (int i = 1; i < texts.size(); i++) {
      if (!first.equals(texts.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Worker's thread: a plain batch's text as the conventions give it, its statements' texts
   * joined with "; ", here their shapes, each once and sorted: the same statement with other
   * values is one shape, a batch of different statements one shape of them all, whatever their
   * order (or the batches' orders would each be a shape, crowding out the others). Only the first
   * {@link #BATCH_TEXTS_SHAPED} texts are read, so a batch costs this thread a bounded amount.
   */
  private static String batchText(QueryTable table, List<String> texts) {
    Set<String> shapes = new TreeSet<>();
    for (int i = 0; i < Math.min(texts.size(), BATCH_TEXTS_SHAPED); i++) {
      ShapeStats known = table.byText(texts.get(i));
      shapes.add(known != null ? known.sql : SqlShape.normalize(texts.get(i)));
    }
    return String.join("; ", shapes);
  }

  /** Worker's thread; {@code remember}: the application's thread finds this text's shape next. */
  private ShapeStats shapeOf(QueryTable table, String sql, boolean remember) {
    String normalized = SqlShape.normalize(sql);
    ShapeStats stats = table.shape(normalized);
    if (stats == null) {
      if (shapes >= maxShapes) {
        evictLeastCalled();
      }
      stats = table.add(normalized);
      shapes++;
    }
    if (remember) {
      table.remember(sql, stats);
    }
    return stats;
  }

  /**
   * The least called tenth of all shapes goes (at least one), so eviction is not per statement.
   * Their figures stay in their operations' sums, so the exported counts neither drop nor lose.
   */
  private void evictLeastCalled() {
    List<Object[]> all = new ArrayList<>();
    for (QueryTable table : allTables()) {
      for (ShapeStats stats : table.shapes()) {
        all.add(new Object[] {table, stats, stats.calls()});
      }
    }
    all.sort(Comparator.comparingLong(entry -> (Long) entry[2]));
    int count = Math.max(1, all.size() / 10);
    synchronized (this) {
      passOperations();
      for (int i = 0; i < count && i < all.size(); i++) {
        ShapeStats shape = (ShapeStats) all.get(i)[1];
        if (((QueryTable) all.get(i)[0]).evict(shape)) {
          shape.evicted = true;
          for (ShapeExecutions part : new ShapeExecutions[] {shape.single, shape.batch}) {
            if (part != null) {
              part.operation.leave(part);
            }
          }
        }
      }
    }
    int left = 0;
    for (QueryTable table : allTables()) {
      left += table.size();
    }
    shapes = left;
  }

  /** Under the lock: evicted shapes' parts that left before the previous pass are folded. */
  private void passOperations() {
    for (QueryTable table : allTables()) {
      for (OperationStats stats : table.operations()) {
        stats.pass();
      }
    }
  }

  Collection<QueryTable> allTables() {
    List<QueryTable> all = new ArrayList<>(tables.values());
    all.add(direct);
    return all;
  }

  /** Agent's thread: tables of DataSources the application dropped go with them. */
  void forgetCollected() {
    tables.keySet().removeIf(key -> key.get() == null);
  }

  String poolName(QueryTable table) {
    return table == direct ? "(no pool)" : poolNames.apply(table.source);
  }

  /** What {@link #readOperations} hands over: one attribute set's figures, cumulative. */
  public interface OperationSink {
    /**
     * @param errorType null for the statements that succeeded
     * @param durationCounts per bucket of {@link OperationStats#DURATION_BOUNDS}
     * @param rowCounts per bucket of {@link OperationStats#ROW_BOUNDS}; null with errorType
     */
    void operation(String pool, String system, String operation, String collection,
        boolean overflow, String errorType, long[] durationCounts, long durationNanos,
        long[] rowCounts, long rows);
  }

  /**
   * Every operation with a statement counted, read now (on the export's thread): the statements
   * that succeeded summed from their shapes (and the evicted shapes' sums), failures per type.
   */
  public synchronized void readOperations(OperationSink sink) {
    passOperations();
    for (QueryTable table : allTables()) {
      String pool = table == direct ? null : poolName(table);
      String system = table.system != null ? table.system : systemNames.apply(table.source);
      for (OperationStats stats : table.operations()) {
        OperationSums succeeded = stats.succeeded();
        if (succeeded.statements() > 0) {
          sink.operation(pool, system, stats.operation, stats.collection, stats.overflow, null,
              succeeded.durations, succeeded.nanos,
              succeeded.anyRows() ? succeeded.rowCounts : null, succeeded.rows);
        }
        for (Map.Entry<String, Buckets> failed : stats.failed().entrySet()) {
          sink.operation(pool, system, stats.operation, stats.collection, stats.overflow,
              failed.getKey(), failed.getValue().counts(), failed.getValue().sum(), null, 0);
        }
      }
    }
  }

  /** Upper bounds, in seconds, of the operation duration buckets but the last (unbounded). */
  public static double[] durationBounds() {
    return OperationStats.DURATION_BOUNDS.clone();
  }

  /** Upper bounds of the returned rows buckets but the last (unbounded). */
  public static long[] rowBounds() {
    return OperationStats.ROW_BOUNDS.clone();
  }

  /** Statements that found the agent's queue full and are in no figure. */
  long dropped() {
    return worker.dropped();
  }
}
