package dev.pulse.agent.system;

/**
 * Statements and failures since start, read together. They are separate sums, counted one after
 * the other while statements run: a statement's failure is counted before the statement itself
 * (PoolMetrics, JdbcTotals), and here the statements are read first, so every failure of a
 * statement read is read too. Failures of statements still running may be read as well: at most
 * as many as the statements read are kept.
 */
final class RequestTotals {
  final long statements;
  final long failures;

  private RequestTotals(long statements, long failures) {
    this.statements = statements;
    this.failures = failures;
  }

  static RequestTotals read(RequestFigures figures) {
    long statements = figures.totalRequests();
    return new RequestTotals(statements, Math.min(figures.failedRequests(), statements));
  }
}
