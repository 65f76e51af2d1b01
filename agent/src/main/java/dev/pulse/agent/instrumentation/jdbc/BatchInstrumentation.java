package dev.pulse.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code addBatch()} (prepared), {@code addBatch(sql)} (plain) and {@code clearBatch()}: what the
 * next executeBatch runs, so each batched statement is counted and a plain batch's SQL is known.
 */
public final class BatchInstrumentation {
  private BatchInstrumentation() {
  }

  public static final class AddBatch implements Instrumentation {
    @Override
    public ElementMatcher<TypeDescription> types() {
      return JdbcTypes.statements();
    }

    @Override
    public ElementMatcher<MethodDescription> methods() {
      return JdbcTypes.implemented("addBatch")
          .and(takesArguments(0).or(takesArguments(1).and(JdbcTypes.takesText())));
    }

    @Override
    public String adviceClass() {
      return AddBatchAdvice.class.getName();
    }
  }

  public static final class ClearBatch implements Instrumentation {
    @Override
    public ElementMatcher<TypeDescription> types() {
      return JdbcTypes.statements();
    }

    @Override
    public ElementMatcher<MethodDescription> methods() {
      return JdbcTypes.implemented("clearBatch").and(takesArguments(0));
    }

    @Override
    public String adviceClass() {
      return ClearBatchAdvice.class.getName();
    }
  }

  public static final class AddBatchAdvice {
    private AddBatchAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Local("pulseContext") CallContext context) {
      context = PulseHooks.context();
      PulseHooks.batchEnter(context);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Local("pulseContext") CallContext context,
        @Advice.This Object statement,
        @Advice.Argument(value = 0, optional = true) String sql,
        @Advice.Thrown Throwable failure) {
      PulseHooks.batchAdded(context, statement, sql, failure);
    }
  }

  public static final class ClearBatchAdvice {
    private ClearBatchAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Local("pulseContext") CallContext context) {
      context = PulseHooks.context();
      PulseHooks.batchEnter(context);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Local("pulseContext") CallContext context,
        @Advice.This Object statement) {
      PulseHooks.batchCleared(context, statement);
    }
  }
}
