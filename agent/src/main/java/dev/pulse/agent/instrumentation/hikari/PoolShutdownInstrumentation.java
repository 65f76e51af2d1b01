package dev.pulse.agent.instrumentation.hikari;

import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.field;
import static dev.pulse.agent.instrumentation.Advice.self;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/**
 * {@code HikariPool.shutdown()}: the agent lets go of the pool at once, so a closed pool (and the
 * class loader of a redeployed application) is not kept reachable until the next sample. Woven at
 * the end of shutdown, however it ended; the config is PoolBase's public field.
 */
public final class PoolShutdownInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter()
      .onExit(call("hikariPoolClosed", "V", self(),
          field("config", HikariTypes.CONFIG).as(HikariTypes.OBJECT)));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return type.name().equals(HikariTypes.POOL);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return method.isNamed("shutdown") && method.argumentCount() == 0 && !method.isStatic();
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
