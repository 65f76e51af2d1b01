package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into executeQuery(sql), and executeQuery() of prepared statements where the SQL is null
 * here; also hands over the ResultSet.
 */
public final class QueryAdvice {
  private QueryAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@Advice.Local("pulseContext") CallContext context) {
    context = PulseHooks.context();
    return PulseHooks.statementEnter(context);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter long start,
      @Advice.Local("pulseContext") CallContext context,
      @Advice.This Object statement,
      @Advice.Argument(value = 0, optional = true) String sql,
      @Advice.Return Object resultSet,
      @Advice.Thrown Throwable failure) {
    PulseHooks.statementExit(context, start, statement, sql, resultSet, failure);
  }
}
