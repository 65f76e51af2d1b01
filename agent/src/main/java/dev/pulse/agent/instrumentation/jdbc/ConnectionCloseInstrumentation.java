package dev.pulse.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code Connection.close()}: the agent forgets the connection's DataSource. */
public final class ConnectionCloseInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return JdbcTypes.connections();
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return JdbcTypes.implemented("close").and(takesArguments(0));
  }

  @Override
  public String adviceClass() {
    return ConnectionCloseAdvice.class.getName();
  }

  public static final class ConnectionCloseAdvice {
    private ConnectionCloseAdvice() {
    }

    /** Returns the physical connection, which a closed proxy no longer unwraps to. */
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Local("pulseContext") CallContext context,
        @Advice.This Object connection) {
      context = PulseHooks.context();
      return PulseHooks.connectionCloseEnter(context, connection);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object physical,
        @Advice.Local("pulseContext") CallContext context,
        @Advice.This Object connection) {
      PulseHooks.connectionCloseExit(context, connection, physical);
    }
  }
}
