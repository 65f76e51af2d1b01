package dev.pulse.agent.instrumentation.jdbc;


import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code prepareStatement(sql, ...)} and {@code prepareCall(sql, ...)}, every overload (generated
 * keys, result-set options): the statement returned keeps its SQL and its connection's DataSource.
 */
public final class PrepareInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return JdbcTypes.connections();
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return JdbcTypes.implemented("prepareStatement", "prepareCall").and(JdbcTypes.takesText());
  }

  @Override
  public String adviceClass() {
    return PrepareAdvice.class.getName();
  }

  /** The outermost prepare (a pool's proxy around the driver's) is the application's. */
  public static final class PrepareAdvice {
    private PrepareAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Local("pulseContext") CallContext context) {
      context = PulseHooks.context();
      PulseHooks.prepareEnter(context);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Local("pulseContext") CallContext context,
        @Advice.This Object connection,
        @Advice.Argument(0) String sql,
        @Advice.Return Object statement) {
      PulseHooks.prepareExit(context, connection, statement, sql);
    }
  }
}
