package dev.pulse.agent.hikari;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.Instrumentation;
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
    return named("setMaximumPoolSize").and(takesArguments(int.class));
  }

  @Override
  public String adviceClass() {
    return MaximumPoolSizeAdvice.class.getName();
  }
}
