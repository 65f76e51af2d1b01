package dev.pulse.agent.instrumentation.hikari;

import static dev.pulse.agent.instrumentation.Advice.call;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/**
 * {@code PoolBase.newConnection} and {@code isConnectionDead} ({@code isConnectionAlive} before
 * HikariCP 5): HikariCP opening a physical connection (through the driver's DataSource, running
 * its init SQL) and checking one (its test query, at a borrow or a keepalive) is the pool's
 * upkeep, not the application's work, so it is neither a connection wait nor a statement of the
 * application's: the thread is marked as doing the pool's own work for the duration of the call.
 */
public final class PoolUpkeepInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter(call("enterInternal", "V"))
      .onExit(call("exitInternal", "V"));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return type.name().equals(HikariTypes.POOL_BASE);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return method.isNamed("newConnection", "isConnectionDead", "isConnectionAlive");
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
