package dev.pulse.agent.instrumentation.hikari;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code new HikariPool(config)}: every pool is seen as it starts, however it was configured
 * (HikariConfig, properties, Spring Boot). The pool's config is its HikariDataSource when the
 * pool was built through one.
 */
public final class HikariPoolInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return named("com.zaxxer.hikari.pool.HikariPool");
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return isConstructor().and(takesArguments(1));
  }

  @Override
  public String adviceClass() {
    return PoolStartAdvice.class.getName();
  }

  /** Inlined at the end of HikariPool's constructor. */
  public static final class PoolStartAdvice {
    private PoolStartAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object pool, @Advice.Argument(0) Object config) {
      PulseHooks.hikariPoolSeen(pool, config);
    }
  }
}
