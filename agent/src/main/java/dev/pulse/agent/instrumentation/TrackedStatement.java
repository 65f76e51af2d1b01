package dev.pulse.agent.instrumentation;

import java.util.ArrayList;
import java.util.List;

/**
 * What the agent keeps with one statement of the application, from its prepare (or first batch
 * entry) to its close: its SQL, the DataSource its connection came from, and what its current
 * batch holds. A statement is used by one thread at a time, as JDBC requires.
 */
public final class TrackedStatement {
  /** Batch texts kept per plain statement; more are counted, not kept. */
  static final int MAX_BATCH_TEXTS = 1000;

  final String sql;
  final DataSourceKey source;
  private int batched;
  private List<String> batchTexts;

  TrackedStatement(String sql, DataSourceKey source) {
    this.sql = sql;
    this.source = source;
  }

  /** {@code text}: the SQL of Statement.addBatch(sql); null for PreparedStatement.addBatch(). */
  void addBatch(String text) {
    batched++;
    if (text != null) {
      if (batchTexts == null) {
        batchTexts = new ArrayList<>();
      }
      if (batchTexts.size() < MAX_BATCH_TEXTS) {
        batchTexts.add(text);
      }
    }
  }

  int batched() {
    return batched;
  }

  List<String> batchTexts() {
    return batchTexts;
  }

  /** An executed or cleared batch starts over. */
  void clearBatch() {
    batched = 0;
    batchTexts = null;
  }
}
