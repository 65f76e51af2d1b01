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
 * {@code execute}, {@code executeUpdate}, {@code executeLargeUpdate}: without arguments (prepared
 * and callable statements, whose SQL was kept at prepare) or with the SQL first (generated keys
 * included). The call depth counts a call through a proxy into the driver once.
 */
public final class ExecuteInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return JdbcTypes.statements();
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return JdbcTypes.implemented("execute", "executeUpdate", "executeLargeUpdate")
        .and(takesArguments(0).or(JdbcTypes.takesText()));
  }

  @Override
  public String adviceClass() {
    return ExecuteAdvice.class.getName();
  }

  public static final class ExecuteAdvice {
    private ExecuteAdvice() {
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
        @Advice.Argument(value = 0, optional = true) String sql,
        @Advice.Thrown Throwable failure) {
      PulseHooks.statementExit(context, start, statement, sql, null, failure);
    }
  }
}
