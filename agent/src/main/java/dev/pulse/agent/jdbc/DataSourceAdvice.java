package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into getConnection: times the wait and reports the connection and its pool. With the
 * error firewall's fail-fast on and the pool's database unreachable, the original method is
 * skipped and the call fails at once with the firewall's SQLException.
 */
public final class DataSourceAdvice {
  private DataSourceAdvice() {
  }

  /** Returns null to proceed, or the exception to fail with instead of calling the method. */
  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static Object enter(@Advice.This Object dataSource,
      @Advice.Local("pulseContext") CallContext context,
      @Advice.Local("pulseStart") long start) {
    context = PulseHooks.context();
    start = PulseHooks.acquireEnter(context);
    return PulseHooks.acquireGate(context, dataSource);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object blocked,
      @Advice.Local("pulseContext") CallContext context,
      @Advice.Local("pulseStart") long start,
      @Advice.This Object dataSource,
      @Advice.Return Object connection,
      @Advice.Thrown(readOnly = false) Throwable failure) {
    if (blocked != null) {
      failure = (Throwable) blocked;
    }
    PulseHooks.acquireExit(context, start, dataSource, connection, failure, blocked != null);
  }
}
