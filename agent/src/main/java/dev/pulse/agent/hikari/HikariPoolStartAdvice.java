package dev.pulse.agent.hikari;

import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/** Inlined at the end of HikariPool's constructor. */
public final class HikariPoolStartAdvice {
  private HikariPoolStartAdvice() {
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This Object pool, @Advice.Argument(0) Object config) {
    PulseHooks.hikariPoolSeen(pool, config);
  }
}
