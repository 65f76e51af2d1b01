package dev.pulse.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code executeQuery()} and {@code executeQuery(sql)}: also hands over the ResultSet. */
public final class QueryInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return JdbcTypes.statements();
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return JdbcTypes.implemented("executeQuery")
        .and(takesArguments(0).or(JdbcTypes.takesText()));
  }

  @Override
  public String adviceClass() {
    return QueryAdvice.class.getName();
  }

  public static final class QueryAdvice {
    private QueryAdvice() {
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
        @Advice.Return Object resultSet,
        @Advice.Thrown Throwable failure) {
      PulseHooks.statementExit(context, start, statement, sql, resultSet, failure);
    }
  }
}
