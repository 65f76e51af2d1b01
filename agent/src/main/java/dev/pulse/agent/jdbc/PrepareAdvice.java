package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into prepareStatement(sql, ...) and prepareCall(sql, ...): remembers the SQL. */
public final class PrepareAdvice {
  private PrepareAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Local("pulseContext") CallContext context) {
    context = PulseHooks.context();
    PulseHooks.prepareEnter(context);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Local("pulseContext") CallContext context,
      @Advice.Argument(0) String sql,
      @Advice.Return Object statement) {
    PulseHooks.prepareExit(context, statement, sql);
  }
}
