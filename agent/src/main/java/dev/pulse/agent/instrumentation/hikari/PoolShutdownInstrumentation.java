package dev.pulse.agent.instrumentation.hikari;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code HikariPool.shutdown()}: the agent lets go of the pool at once, so a closed pool (and the
 * class loader of a redeployed application) is not kept reachable until the next sample.
 */
public final class PoolShutdownInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return named("com.zaxxer.hikari.pool.HikariPool");
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return named("shutdown").and(takesArguments(0));
  }

  @Override
  public String adviceClass() {
    return PoolShutdownAdvice.class.getName();
  }

  /** Inlined at the end of shutdown, however it ended; the config is PoolBase's public field. */
  public static final class PoolShutdownAdvice {
    private PoolShutdownAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object pool, @Advice.FieldValue("config") Object config) {
      PulseHooks.hikariPoolClosed(pool, config);
    }
  }
}
