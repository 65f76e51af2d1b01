package dev.pulse.agent.jdbc;

/**
 * The connections one thread holds now, for the time each is held (borrow to close). A slot keeps
 * the connection's identity hash, never the connection: a connection the application drops without
 * closing leaves no reference behind. A thread holds few connections at once; past {@link #SLOTS}
 * the oldest slot is reused (that connection's time is not counted). A connection closed on another
 * thread than the one that borrowed it is not counted either.
 */
final class HeldConnections {
  static final int SLOTS = 4;

  private final int[] identities = new int[SLOTS];
  private final long[] borrowedAt = new long[SLOTS];
  private final PoolMetrics[] pools = new PoolMetrics[SLOTS];
  private int next;
  /** The borrow in progress: its end and its pool, until the connection it returned is known. */
  long acquiredAt;
  PoolMetrics acquiredFrom;

  void borrowed(int identity) {
    PoolMetrics pool = acquiredFrom;
    if (pool == null) {
      return;
    }
    int slot = next;
    identities[slot] = identity;
    borrowedAt[slot] = acquiredAt;
    pools[slot] = pool;
    next = (slot + 1) % SLOTS;
    acquiredFrom = null;
  }

  /** A close of a connection this thread borrowed counts once; any other close, nothing. */
  void closed(int identity) {
    for (int slot = 0; slot < SLOTS; slot++) {
      PoolMetrics pool = pools[slot];
      if (pool != null && identities[slot] == identity) {
        pools[slot] = null;
        pool.recordUse(System.nanoTime() - borrowedAt[slot]);
        return;
      }
    }
  }
}
