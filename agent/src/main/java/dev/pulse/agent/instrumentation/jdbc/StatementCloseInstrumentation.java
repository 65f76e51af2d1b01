package dev.pulse.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code Statement.close()}: the agent forgets the statement's SQL. */
public final class StatementCloseInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return JdbcTypes.statements();
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return JdbcTypes.implemented("close").and(takesArguments(0));
  }

  @Override
  public String adviceClass() {
    return StatementCloseAdvice.class.getName();
  }

  public static final class StatementCloseAdvice {
    private StatementCloseAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Local("pulseContext") CallContext context) {
      context = PulseHooks.context();
      PulseHooks.statementCloseEnter(context);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Local("pulseContext") CallContext context,
        @Advice.This Object statement) {
      PulseHooks.statementCloseExit(context, statement);
    }
  }
}
