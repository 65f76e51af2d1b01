package dev.pulse.agent.jdbc;

/**
 * The connections one thread holds now, for the time each is held (borrow to close). A slot keeps
 * the identity hash of the pooled (physical) connection, never the connection: a connection the
 * application drops without closing leaves no reference behind. A thread holds few connections at
 * once; past {@link #SLOTS} the oldest slot is reused (that connection's time is not counted). A
 * connection closed on another thread than the one that borrowed it is not counted either, and
 * its slot is dropped when this thread borrows the same pooled connection again.
 */
final class HeldConnections {
  static final int SLOTS = 4;

  private final int[] identities = new int[SLOTS];
  private final long[] borrowedAt = new long[SLOTS];
  private final PoolMetrics[] pools = new PoolMetrics[SLOTS];
  private int next;

  void borrowed(int identity, long borrowedNanos, PoolMetrics pool) {
    int slot = next;
    for (int i = 0; i < SLOTS; i++) {
      if (pools[i] != null && identities[i] == identity) {
        slot = i; // a pooled connection borrowed again: its earlier borrow was closed elsewhere
        break;
      }
    }
    identities[slot] = identity;
    borrowedAt[slot] = borrowedNanos;
    pools[slot] = pool;
    if (slot == next) {
      next = (slot + 1) % SLOTS;
    }
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
