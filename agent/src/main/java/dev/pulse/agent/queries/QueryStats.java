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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Statements grouped per pool by shape (see {@link SqlShape}). On the application's thread a
 * statement whose text was seen before costs two map reads and a few atomic adds; a text not seen
 * before is handed, with its figures, to the agent's thread, which shapes it, records it and
 * remembers the text. At most {@code maxShapes} shapes are kept over all pools: past that, the
 * least called tenth goes, counted per pool.
 */
public final class QueryStats implements JdbcListener {
  /** Statements waiting to be shaped; past this, they are counted as dropped, never waited on. */
  static final int QUEUE = 8192;

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

  /**
   * @param rowCounts rows a result holds, read without moving it, or below 0 when unknown
   * @param threadName the worker's thread, built here (on the thread building the agent) and
   *     started by the first statement that needs it
   */
  public QueryStats(int maxShapes, long slowThresholdNanos,
      Consumer<Event> publisher,
      Function<DataSourceKey, String> poolNames, ToLongFunction<Object> rowCounts,
      String threadName) {
    this.maxShapes = maxShapes;
    this.slow = new SlowQueries(slowThresholdNanos, publisher);
    this.poolNames = poolNames;
    this.rowCounts = rowCounts;
    this.worker = new HandOff<>(QUEUE, 0, threadName, null, Runnable::run);
  }

  @Override
  public void statementExecuted(StatementEvent event) {
    String sql = event.sql();
    if (sql == null) {
      List<String> texts = event.batchTexts();
      if (texts == null || texts.isEmpty()) {
        return; // nothing says what ran
      }
      sql = texts.get(0);
    }
    DataSourceKey source = event.source();
    QueryTable table = latest;
    if (table.source != source) {
      table = source == null ? direct : tables.computeIfAbsent(source, QueryTable::new);
      latest = table;
    }
    long elapsed = event.elapsedNanos();
    int statements = event.count();
    long rows = event.resultSet() == null ? -1 : rowCounts.applyAsLong(event.resultSet());
    boolean failed = event.failure() != null;
    ShapeStats shape = table.byText(sql);
    if (shape != null) {
      shape.record(elapsed, statements, rows, failed);
      if (slow.isSlow(elapsed) && shape.slowAllowed(event.endNanos(), SlowQueries.GAP_NANOS)) {
        StackTraceElement[] stack = new Throwable().getStackTrace();
        String thread = Thread.currentThread().getName();
        long at = System.currentTimeMillis();
        QueryTable pool = table;
        worker.offer(() -> slow.report(poolName(pool), shape, elapsed, rows, thread, stack, at));
      }
      return;
    }
    StackTraceElement[] stack = slow.isSlow(elapsed) ? new Throwable().getStackTrace() : null;
    String thread = stack == null ? null : Thread.currentThread().getName();
    long at = stack == null ? 0 : System.currentTimeMillis();
    long end = event.endNanos();
    QueryTable pool = table;
    String text = sql;
    worker.offer(() -> {
      ShapeStats made = shapeOf(pool, text);
      made.record(elapsed, statements, rows, failed);
      if (stack != null && made.slowAllowed(end, SlowQueries.GAP_NANOS)) {
        slow.report(poolName(pool), made, elapsed, rows, thread, stack, at);
      }
    });
  }

  /** Worker's thread. */
  private ShapeStats shapeOf(QueryTable table, String sql) {
    String normalized = SqlShape.normalize(sql);
    ShapeStats stats = table.shape(normalized);
    if (stats == null) {
      if (shapes >= maxShapes) {
        evictLeastCalled();
      }
      stats = table.add(normalized);
      shapes++;
    }
    table.remember(sql, stats);
    return stats;
  }

  /** The least called tenth of all shapes goes (at least one), so eviction is not per statement. */
  private void evictLeastCalled() {
    List<Object[]> all = new ArrayList<>();
    for (QueryTable table : allTables()) {
      for (ShapeStats stats : table.shapes()) {
        all.add(new Object[] {table, stats, stats.calls()});
      }
    }
    all.sort(Comparator.comparingLong(entry -> (Long) entry[2]));
    int count = Math.max(1, all.size() / 10);
    for (int i = 0; i < count && i < all.size(); i++) {
      ((QueryTable) all.get(i)[0]).evict((ShapeStats) all.get(i)[1]);
    }
    int left = 0;
    for (QueryTable table : allTables()) {
      left += table.size();
    }
    shapes = left;
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

  /** Statements that found the agent's queue full and are in no figure. */
  long dropped() {
    return worker.dropped();
  }
}
