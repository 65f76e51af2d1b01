package dev.pulse.agent.hikari;

import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into HikariConfig.setMaximumPoolSize: reports old and new size once the set succeeded. */
public final class MaximumPoolSizeAdvice {
  private MaximumPoolSizeAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static int enter(@Advice.FieldValue("maxPoolSize") int current) {
    return current;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter int oldSize, @Advice.This Object config,
      @Advice.Argument(0) int newSize, @Advice.Thrown Throwable failure) {
    if (failure == null) {
      PulseHooks.maximumPoolSizeChanged(config, oldSize, newSize);
    }
  }
}
