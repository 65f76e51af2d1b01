package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into getConnection: times the wait and reports the connection and its pool. */
public final class DataSourceAdvice {
  private DataSourceAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@Advice.Local("pulseContext") CallContext context) {
    context = PulseHooks.context();
    return PulseHooks.acquireEnter(context);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter long start,
      @Advice.Local("pulseContext") CallContext context,
      @Advice.This Object dataSource,
      @Advice.Return Object connection,
      @Advice.Thrown Throwable failure) {
    PulseHooks.acquireExit(context, start, dataSource, connection, failure);
  }
}
