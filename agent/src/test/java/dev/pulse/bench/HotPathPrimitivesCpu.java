package dev.pulse.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the operations the hooks do on the application's thread cost on this machine, one by one,
 * in the thread's own CPU time (which a busy machine blurs far less than wall time): a clock read,
 * the first identity hash of a new object (a pool's proxy, a prepared statement), a thread-local
 * lookup, an atomic add (not an uncontended lock: in a loop the JIT merges them). Multiplied by
 * how often a round of {@link JdbcOverheadBenchmark} does each, they say what part of the
 * agent's cost per round is the floor of what it records (five clock reads: the borrow's wait,
 * the statement's time, the connection's use) rather than its bookkeeping.
 * Usage: HotPathPrimitivesCpu [ROUNDS]
 */
public final class HotPathPrimitivesCpu {
  private static final int PER_ROUND = 5_000_000;
  private static final ThreadLocal<Object> LOCAL = ThreadLocal.withInitial(Object::new);
  // static: reachable from elsewhere, so the JIT cannot drop the adds
  private static final AtomicLong ATOMIC = new AtomicLong();
  private static final LongAdder ADDER = new LongAdder();
  private static volatile Object escape;

  private HotPathPrimitivesCpu() {
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    String[] names = {"System.nanoTime()", "new Object()", "new Object() + its identity hash",
        "identity hash taken before", "ThreadLocal.get()",
        "AtomicLong.addAndGet", "LongAdder.add"};
    double[][] costs = new double[names.length][rounds];
    Object hashed = new Object();
    System.identityHashCode(hashed);
    long sink = 0;
    for (int round = -2; round < rounds; round++) { // two rounds to warm up
      long[] at = new long[names.length + 1];
      at[0] = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < PER_ROUND; i++) {
        sink += System.nanoTime();
      }
      at[1] = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < PER_ROUND; i++) {
        escape = new Object();
      }
      at[2] = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < PER_ROUND; i++) {
        Object fresh = new Object();
        escape = fresh;
        sink += System.identityHashCode(fresh);
      }
      at[3] = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < PER_ROUND; i++) {
        sink += System.identityHashCode(hashed);
      }
      at[4] = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < PER_ROUND; i++) {
        sink += LOCAL.get().hashCode() & 1;
      }
      at[5] = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < PER_ROUND; i++) {
        sink += ATOMIC.addAndGet(i);
      }
      at[6] = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < PER_ROUND; i++) {
        ADDER.add(i);
      }
      at[7] = threads.getCurrentThreadCpuTime();
      if (round >= 0) {
        for (int k = 0; k < names.length; k++) {
          costs[k][round] = (at[k + 1] - at[k]) / (double) PER_ROUND;
        }
      }
    }
    System.out.printf("thread CPU ns per operation, median (min..max) of %d x %d (%d):%n", rounds,
        PER_ROUND, Math.floorMod(sink + ADDER.sum(), 2));
    for (int k = 0; k < names.length; k++) {
      double[] sorted = costs[k].clone();
      Arrays.sort(sorted);
      System.out.printf("  %-34s %6.1f (%.1f..%.1f)%n", names[k], sorted[rounds / 2], sorted[0],
          sorted[rounds - 1]);
    }
  }
}
