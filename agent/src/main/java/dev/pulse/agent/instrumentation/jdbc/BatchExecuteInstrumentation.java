package dev.pulse.agent.instrumentation.jdbc;

import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.context;
import static dev.pulse.agent.instrumentation.Advice.entered;
import static dev.pulse.agent.instrumentation.Advice.returned;
import static dev.pulse.agent.instrumentation.Advice.self;
import static dev.pulse.agent.instrumentation.Advice.thrown;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/** {@code executeBatch()} and {@code executeLargeBatch()}: one execution of every batched statement. */
public final class BatchExecuteInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter(context(),
          call("statementEnter", "J", entered(0)))
      .onExit(call("batchExit", "V", entered(0), entered(1), self(), returned(), thrown()));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return JdbcTypes.statement(type);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return JdbcTypes.implemented(type, method, "executeBatch", "executeLargeBatch")
        && method.argumentCount() == 0;
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
