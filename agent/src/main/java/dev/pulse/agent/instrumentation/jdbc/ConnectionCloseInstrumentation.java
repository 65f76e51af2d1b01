package dev.pulse.agent.instrumentation.jdbc;

import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.context;
import static dev.pulse.agent.instrumentation.Advice.entered;
import static dev.pulse.agent.instrumentation.Advice.self;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/**
 * {@code Connection.close()}: the agent forgets the connection's DataSource. The entry returns the
 * physical connection, which a closed proxy no longer unwraps to.
 */
public final class ConnectionCloseInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter(context(),
          call("connectionCloseEnter", "Ljava/lang/Object;", entered(0), self()))
      .onExit(call("connectionCloseExit", "V", entered(0), self(), entered(1)));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return JdbcTypes.connection(type);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return JdbcTypes.implemented(type, method, "close") && method.argumentCount() == 0;
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
