package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into execute methods whose first argument is the SQL text. */
public final class StatementSqlAdvice {
  private StatementSqlAdvice() {
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
      @Advice.Argument(0) String sql,
      @Advice.Thrown Throwable failure) {
    PulseHooks.statementExit(context, start, statement, sql, null, failure);
  }
}
