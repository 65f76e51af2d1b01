package dev.pulse.agent.hikari;

import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/** Marks the thread as doing the pool's own work for the duration of the call. */
public final class PoolUpkeepAdvice {
  private PoolUpkeepAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter() {
    PulseHooks.enterInternal();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit() {
    PulseHooks.exitInternal();
  }
}
