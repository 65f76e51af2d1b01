package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the execute methods: with the SQL as their first argument, or without arguments
 * (prepared and callable statements, batches), where the SQL is null here.
 */
public final class StatementAdvice {
  private StatementAdvice() {
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
      @Advice.Thrown Throwable failure) {
    PulseHooks.statementExit(context, start, statement, sql, null, failure);
  }
}
