package dev.pulse.agent.firewall;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What the application's thread hands over about one failure: references only, nothing computed.
 * The agent thread classifies, fingerprints and redacts it.
 */
final class CapturedFailure {
  enum Kind { STATEMENT, ACQUIRE, BLOCKED }

  final Kind kind;
  final Throwable failure;
  /** The statement's SQL (to tell a vector search from another query), or null. */
  final String sql;
  /** The pool's metrics object (the fail-fast gate's key), for ACQUIRE and BLOCKED. */
  final Object pool;
  final String poolName;
  /** Reads the pool's figures on the agent thread (ACQUIRE), or null. */
  final Supplier<Map<String, Object>> poolFigures;
  final long atNanos;

  CapturedFailure(Kind kind, Throwable failure, String sql, Object pool, String poolName,
      Supplier<Map<String, Object>> poolFigures, long atNanos) {
    this.kind = kind;
    this.failure = failure;
    this.sql = sql;
    this.pool = pool;
    this.poolName = poolName;
    this.poolFigures = poolFigures;
    this.atNanos = atNanos;
  }
}
