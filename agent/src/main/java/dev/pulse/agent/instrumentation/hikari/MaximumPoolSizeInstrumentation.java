package dev.pulse.agent.instrumentation.hikari;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code HikariConfig.setMaximumPoolSize(int)}: HikariCP resizes a running pool through it (the
 * data source is its own config MXBean) and fires no callback, so this is the one place that sees
 * every resize, whoever makes it.
 */
public final class MaximumPoolSizeInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return named("com.zaxxer.hikari.HikariConfig");
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return named("setMaximumPoolSize").and(takesArguments(1).and(takesArgument(0, named("int"))));
  }

  @Override
  public String adviceClass() {
    return MaximumPoolSizeAdvice.class.getName();
  }

  /** Reports old and new size once the set succeeded. */
  public static final class MaximumPoolSizeAdvice {
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
}
