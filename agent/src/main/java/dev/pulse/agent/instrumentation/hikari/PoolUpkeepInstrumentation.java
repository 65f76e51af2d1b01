package dev.pulse.agent.instrumentation.hikari;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code PoolBase.newConnection}: HikariCP opening a physical connection (through the driver's
 * DataSource, running its init SQL) is the pool's upkeep, not the application's work, so it is
 * neither a connection wait nor a statement of the application's.
 */
public final class PoolUpkeepInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return named("com.zaxxer.hikari.pool.PoolBase");
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return named("newConnection");
  }

  @Override
  public String adviceClass() {
    return PoolUpkeepAdvice.class.getName();
  }

  /** Marks the thread as doing the pool's own work for the duration of the call. */
  public static final class PoolUpkeepAdvice {
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
}
