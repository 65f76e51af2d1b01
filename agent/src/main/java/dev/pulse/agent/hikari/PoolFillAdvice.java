package dev.pulse.agent.hikari;

import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of HikariPool.fillPool; the config is PoolBase's public field. */
public final class PoolFillAdvice {
  private PoolFillAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Object pool, @Advice.FieldValue("config") Object config) {
    PulseHooks.hikariPoolSeen(pool, config);
  }
}
