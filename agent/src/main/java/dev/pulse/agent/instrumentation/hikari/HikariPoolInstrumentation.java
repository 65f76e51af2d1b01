package dev.pulse.agent.instrumentation.hikari;

import static dev.pulse.agent.instrumentation.Advice.argument;
import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.self;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/**
 * {@code new HikariPool(config)}: every pool is seen as it starts, however it was configured
 * (HikariConfig, properties, Spring Boot), at the end of its constructor. The pool's config is its
 * HikariDataSource when the pool was built through one.
 */
public final class HikariPoolInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter()
      .onReturn(call("hikariPoolSeen", "V", self(),
          argument(0, HikariTypes.CONFIG).as(HikariTypes.OBJECT)));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return type.name().equals(HikariTypes.POOL);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return method.isConstructor() && method.argumentCount() == 1
        && HikariTypes.CONFIG.equals(method.argument(0));
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
