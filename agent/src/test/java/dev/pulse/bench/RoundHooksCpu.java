package dev.pulse.bench;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.agent.jdbc.JdbcTotals;
import dev.pulse.agent.jdbc.PoolAccounting;
import dev.pulse.agent.jdbc.PoolRegistry;
import dev.pulse.agent.queries.QueryStats;
import dev.pulse.testing.JdbcFakes;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The hooks of one round of {@link JdbcOverheadBenchmark} (borrow, prepare, execute, close the
 * statement, give the connection back), without a driver or the advice around them: with nothing
 * listening (what the hooks keep: the statement's SQL and DataSource, the connection's DataSource)
 * and with the listeners every statement and borrow reaches by default (the pool accounting and
 * the query table), alternating round by round in one JVM, in the calling thread's own CPU time
 * and allocation, which a busy machine blurs far less than wall time. Run against two builds of
 * the agent's classes, it compares them.
 * Usage: RoundHooksCpu [ROUNDS_OF_A_MILLION]
 */
public final class RoundHooksCpu {
  private final Hooks hooks = new Hooks();
  private final CallContext context = new CallContext();
  private final Object dataSource = new Object();
  private final Connection connection = JdbcFakes.connection();

  private RoundHooksCpu(boolean listening) {
    if (listening) {
      PoolRegistry pools = new PoolRegistry(any -> "bench");
      hooks.add(new PoolAccounting(pools, new JdbcTotals(pools)));
      hooks.add(new QueryStats(2000, TimeUnit.SECONDS.toNanos(1), event -> { }, source -> "bench",
          resultSet -> -1, source -> "h2database", "bench-queries"));
    }
  }

  private long round() {
    hooks.acquireExit(context, hooks.acquireEnter(context), dataSource, connection, null, false);
    Object statement = new Object(); // a new statement per round, as the loop prepares one
    hooks.prepareEnter(context);
    hooks.prepareExit(context, connection, statement, "SELECT ?");
    hooks.statementExit(context, hooks.statementEnter(context), statement, null, null, null);
    hooks.statementCloseEnter(context);
    hooks.statementCloseExit(context, statement);
    hooks.connectionCloseExit(context, connection, hooks.connectionCloseEnter(context, connection));
    return statement.hashCode();
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int perRound = 1_000_000;
    RoundHooksCpu none = new RoundHooksCpu(false);
    RoundHooksCpu listening = new RoundHooksCpu(true);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int i = 0; i < 5; i++) {
      sink += run(none, perRound) + run(listening, perRound);
    }
    double[] without = new double[rounds];
    double[] with = new double[rounds];
    double[] added = new double[rounds];
    double[] bytes = new double[2];
    for (int round = 0; round < rounds; round++) {
      long start = threads.getCurrentThreadCpuTime();
      long allocated = threads.getCurrentThreadAllocatedBytes();
      sink += run(none, perRound);
      long middle = threads.getCurrentThreadCpuTime();
      long allocatedMiddle = threads.getCurrentThreadAllocatedBytes();
      sink += run(listening, perRound);
      long end = threads.getCurrentThreadCpuTime();
      bytes[0] += (allocatedMiddle - allocated) / (double) perRound / rounds;
      bytes[1] += (threads.getCurrentThreadAllocatedBytes() - allocatedMiddle) / (double) perRound
          / rounds;
      without[round] = (middle - start) / (double) perRound;
      with[round] = (end - middle) / (double) perRound;
      added[round] = with[round] - without[round];
    }
    System.out.printf("round's hooks, thread CPU ns/round, median (min..max) of %d x %d: nothing"
        + " listening %s; pool accounting + query table %s; added %s; B/round %.0f / %.0f (%d)%n",
        rounds, perRound, summary(without), summary(with), summary(added), bytes[0], bytes[1],
        sink % 2);
  }

  private static long run(RoundHooksCpu hooks, int rounds) {
    long sink = 0;
    for (int i = 0; i < rounds; i++) {
      sink += hooks.round();
    }
    return sink;
  }

  private static String summary(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format("%.1f (%.1f..%.1f)", sorted[sorted.length / 2], sorted[0],
        sorted[sorted.length - 1]);
  }
}
