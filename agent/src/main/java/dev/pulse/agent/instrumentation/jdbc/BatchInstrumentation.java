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
 * {@code addBatch()} (prepared), {@code addBatch(sql)} (plain) and {@code clearBatch()}: what the
 * next executeBatch runs, so each batched statement is counted and a plain batch's SQL is known.
 */
public final class BatchInstrumentation {
  private BatchInstrumentation() {
  }

  public static final class AddBatch implements Instrumentation {
    private static final Advice ADVICE = Advice.onEnter(context(),
            call("batchEnter", "V", entered(0)))
        .onExit(call("batchAdded", "V", entered(0), self(), optionalArgument(0, JdbcTypes.STRING),
            thrown()));

    @Override
    public boolean appliesTo(ClassFacts type) {
      return JdbcTypes.statement(type);
    }

    @Override
    public boolean advises(ClassFacts type, MethodFacts method) {
      return JdbcTypes.implemented(type, method, "addBatch")
          && (method.argumentCount() == 0
              || (method.argumentCount() == 1 && JdbcTypes.takesText(method)));
    }

    @Override
    public Advice advice() {
      return ADVICE;
    }
  }

  public static final class ClearBatch implements Instrumentation {
    private static final Advice ADVICE = Advice.onEnter(context(),
            call("batchEnter", "V", entered(0)))
        .onExit(call("batchCleared", "V", entered(0), self()));

    @Override
    public boolean appliesTo(ClassFacts type) {
      return JdbcTypes.statement(type);
    }

    @Override
    public boolean advises(ClassFacts type, MethodFacts method) {
      return JdbcTypes.implemented(type, method, "clearBatch") && method.argumentCount() == 0;
    }

    @Override
    public Advice advice() {
      return ADVICE;
    }
  }
}
