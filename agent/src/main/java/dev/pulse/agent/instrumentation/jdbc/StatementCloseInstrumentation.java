package dev.pulse.agent.instrumentation.jdbc;

import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.context;
import static dev.pulse.agent.instrumentation.Advice.entered;
import static dev.pulse.agent.instrumentation.Advice.self;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/** {@code Statement.close()}: the agent forgets the statement's SQL. */
public final class StatementCloseInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter(context(),
          call("statementCloseEnter", "V", entered(0)))
      .onExit(call("statementCloseExit", "V", entered(0), self()));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return JdbcTypes.statement(type);
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
