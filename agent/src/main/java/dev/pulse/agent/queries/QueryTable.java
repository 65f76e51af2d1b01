package dev.pulse.agent.queries;

import dev.pulse.agent.instrumentation.DataSourceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One pool's shapes. The application's thread only reads {@link #byText} (the SQL texts already
 * seen, each pointing to its shape); the agent's thread adds shapes and texts, and evicts.
 */
final class QueryTable {
  /** Texts remembered per pool; beyond, a text is shaped again on the agent's thread each time. */
  static final int MAX_TEXTS = 4096;
  /** Texts longer than this are not remembered (a statement with inlined vectors, say). */
  static final int MAX_TEXT_LENGTH = 10 * 1024;

  final DataSourceKey source;
  private final ConcurrentHashMap<String, ShapeStats> byText = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ShapeStats> byShape = new ConcurrentHashMap<>();
  final LongAdder evicted = new LongAdder();
  /** By operation and collection; the agent's thread adds, within the cap QueryStats keeps. */
  private final ConcurrentHashMap<String, OperationStats> operations = new ConcurrentHashMap<>();
  /** Statements whose text is not known, and those past the cap on operations. */
  final OperationStats unnamed = new OperationStats(null, null, false);
  final OperationStats overflow = new OperationStats(null, null, true);
  /** The pool's db.system.name, read by the agent's thread at the first statement it shapes. */
  volatile String system;

  QueryTable(DataSourceKey source) {
    this.source = source;
  }

  /** The shape of a text seen before, or null. */
  ShapeStats byText(String sql) {
    return byText.get(sql);
  }

  /** Agent's thread: the shape with this text, or null. */
  ShapeStats shape(String shape) {
    return byShape.get(shape);
  }

  /** Agent's thread: a new shape. */
  ShapeStats add(String shape) {
    ShapeStats stats = new ShapeStats(shape);
    byShape.put(shape, stats);
    return stats;
  }

  /** Agent's thread: the application's thread finds this text's shape from now on. */
  void remember(String sql, ShapeStats stats) {
    if (sql.length() <= MAX_TEXT_LENGTH && byText.size() < MAX_TEXTS) {
      byText.put(sql, stats);
    }
  }

  /** Agent's thread: the operation with these names, or null when there is none yet. */
  OperationStats operation(String operation, String collection) {
    return operations.get(operation + '\u0000' + collection);
  }

  /** Agent's thread: a new operation. */
  OperationStats addOperation(String operation, String collection) {
    OperationStats stats = new OperationStats(operation, collection, false);
    operations.put(operation + '\u0000' + collection, stats);
    return stats;
  }

  /** Operations with a name (the cap counts these; the unnamed and the overflow are always there). */
  int namedOperations() {
    return operations.size();
  }

  /** Every operation with a statement counted: named ones, the unnamed and the overflow. */
  List<OperationStats> operations() {
    List<OperationStats> all = new ArrayList<>(operations.values());
    all.add(unnamed);
    all.add(overflow);
    return all;
  }

  Collection<ShapeStats> shapes() {
    return byShape.values();
  }

  int size() {
    return byShape.size();
  }

  /** Agent's thread: forgets the shape and every text pointing to it. */
  boolean evict(ShapeStats stats) {
    if (byShape.remove(stats.sql, stats)) {
      byText.values().removeIf(value -> value == stats);
      evicted.increment();
      return true;
    }
    return false;
  }
}
