package dev.pulse.agent.instrumentation.hikari;

import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.field;
import static dev.pulse.agent.instrumentation.Advice.self;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/**
 * {@code HikariPool.fillPool}: HikariCP's housekeeper tops every pool up on its own thread (every
 * 30 s by default), so a pool that was running before the agent attached is found there even when
 * the application never borrows from it. Woven at the start of fillPool; the config is PoolBase's
 * public field.
 */
public final class PoolFillInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter(
      call("hikariPoolSeen", "V", self(),
          field("config", HikariTypes.CONFIG).as(HikariTypes.OBJECT)));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return type.name().equals(HikariTypes.POOL);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return method.isNamed("fillPool") && !method.isStatic();
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
