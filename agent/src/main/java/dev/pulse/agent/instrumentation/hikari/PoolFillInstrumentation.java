package dev.pulse.agent.instrumentation.hikari;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code HikariPool.fillPool}: HikariCP's housekeeper tops every pool up on its own thread (every
 * 30 s by default), so a pool that was running before the agent attached is found there even when
 * the application never borrows from it.
 */
public final class PoolFillInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return named("com.zaxxer.hikari.pool.HikariPool");
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return named("fillPool");
  }

  @Override
  public String adviceClass() {
    return PoolFillAdvice.class.getName();
  }

  /** Inlined at the start of fillPool; the config is PoolBase's public field. */
  public static final class PoolFillAdvice {
    private PoolFillAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object pool, @Advice.FieldValue("config") Object config) {
      PulseHooks.hikariPoolSeen(pool, config);
    }
  }
}
