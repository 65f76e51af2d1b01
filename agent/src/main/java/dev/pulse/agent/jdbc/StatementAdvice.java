package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into execute methods without SQL arguments (prepared and callable statements, batches). */
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
      @Advice.Thrown Throwable failure) {
    PulseHooks.statementExit(context, start, statement, null, null, failure);
  }
}
