package dev.pulse.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code executeBatch()} and {@code executeLargeBatch()}: one execution of every batched statement. */
public final class BatchExecuteInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return JdbcTypes.statements();
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return JdbcTypes.implemented("executeBatch", "executeLargeBatch").and(takesArguments(0));
  }

  @Override
  public String adviceClass() {
    return BatchExecuteAdvice.class.getName();
  }

  public static final class BatchExecuteAdvice {
    private BatchExecuteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter(@Advice.Local("pulseContext") CallContext context) {
      context = PulseHooks.context();
      return PulseHooks.statementEnter(context);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter long start,
        @Advice.Local("pulseContext") CallContext context,
        @Advice.This Object statement,
        @Advice.Return Object updateCounts,
        @Advice.Thrown Throwable failure) {
      PulseHooks.batchExit(context, start, statement, updateCounts, failure);
    }
  }
}
