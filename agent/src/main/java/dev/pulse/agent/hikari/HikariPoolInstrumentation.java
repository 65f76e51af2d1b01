package dev.pulse.agent.hikari;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.Instrumentation;
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
    return HikariPoolStartAdvice.class.getName();
  }
}
