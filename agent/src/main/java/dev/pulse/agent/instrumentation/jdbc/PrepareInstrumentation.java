package dev.pulse.agent.instrumentation.jdbc;

import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.context;
import static dev.pulse.agent.instrumentation.Advice.entered;
import static dev.pulse.agent.instrumentation.Advice.optionalArgument;
import static dev.pulse.agent.instrumentation.Advice.returned;
import static dev.pulse.agent.instrumentation.Advice.self;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/**
 * {@code prepareStatement(sql, ...)} and {@code prepareCall(sql, ...)}, every overload (generated
 * keys, result-set options): the statement returned keeps its SQL and its connection's DataSource.
 * {@code createStatement(...)}: the plain statement keeps its DataSource, which its connection may
 * no longer tell by the time it runs (a pool evicted the connection after a fatal error, and its
 * proxy now unwraps to nothing of the pool's). The outermost call (a pool's proxy around the
 * driver's) is the application's.
 */
public final class PrepareInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter(context(),
          call("prepareEnter", "V", entered(0)))
      .onExit(call("prepareExit", "V", entered(0), self(), returned(),
          optionalArgument(0, JdbcTypes.STRING)));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return JdbcTypes.connection(type);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return JdbcTypes.implemented(type, method, "prepareStatement", "prepareCall")
        && JdbcTypes.takesText(method)
        || JdbcTypes.implemented(type, method, "createStatement");
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
