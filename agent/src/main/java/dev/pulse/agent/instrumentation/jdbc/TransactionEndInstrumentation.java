package dev.pulse.agent.instrumentation.jdbc;

import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.self;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/** {@code commit()} and {@code rollback()}: SET LOCAL values end with the transaction. */
public final class TransactionEndInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter()
      .onExit(call("transactionEnded", "V", self()));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return JdbcTypes.connection(type);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return JdbcTypes.implemented(type, method, "commit", "rollback")
        && method.argumentCount() == 0;
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
