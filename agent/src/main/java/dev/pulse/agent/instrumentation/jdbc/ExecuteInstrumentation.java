package dev.pulse.agent.instrumentation.jdbc;

import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.context;
import static dev.pulse.agent.instrumentation.Advice.entered;
import static dev.pulse.agent.instrumentation.Advice.optionalArgument;
import static dev.pulse.agent.instrumentation.Advice.self;
import static dev.pulse.agent.instrumentation.Advice.thrown;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/**
 * {@code execute}, {@code executeUpdate}, {@code executeLargeUpdate}: without arguments (prepared
 * and callable statements, whose SQL was kept at prepare) or with the SQL first (generated keys
 * included). The call depth counts a call through a proxy into the driver once.
 */
public final class ExecuteInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter(context(),
          call("statementEnter", "J", entered(0)))
      .onExit(call("statementExit", "V", entered(0), entered(1), self(),
          optionalArgument(0, JdbcTypes.STRING), Advice.nothing(), thrown()));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return JdbcTypes.statement(type);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return JdbcTypes.implemented(type, method, "execute", "executeUpdate", "executeLargeUpdate")
        && (method.argumentCount() == 0 || JdbcTypes.takesText(method));
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
