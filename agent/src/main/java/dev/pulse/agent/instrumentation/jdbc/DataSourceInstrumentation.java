package dev.pulse.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.CallContext;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code DataSource.getConnection()} and {@code getConnection(user, password)}, any implementation. */
public final class DataSourceInstrumentation implements Instrumentation {

  /**
   * DataSources, and the base classes they inherit getConnection from without themselves being
   * DataSources (pgjdbc's BaseDataSource under PGSimpleDataSource): advice goes where the method
   * is declared.
   */
  @Override
  public ElementMatcher<TypeDescription> types() {
    return not(isInterface()).and(hasSuperType(named("javax.sql.DataSource"))
        .or(nameEndsWith("DataSource").and(declaresMethod(named("getConnection")
            .and(returns(named("java.sql.Connection")))))));
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return named("getConnection").and(isPublic()).and(not(isAbstract()))
        .and(takesArguments(0).or(takesArguments(2)))
        .and(returns(named("java.sql.Connection")));
  }

  @Override
  public String adviceClass() {
    return GetConnectionAdvice.class.getName();
  }

  /**
   * Times the wait and reports the connection and its DataSource. With the error firewall's
   * fail-fast on and the pool's database unreachable, the original method is skipped and the
   * call fails at once with the firewall's SQLException.
   */
  public static final class GetConnectionAdvice {
    private GetConnectionAdvice() {
    }

    /** Returns null to proceed, or the exception to fail with instead of calling the method. */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static Object enter(@Advice.This Object dataSource,
        @Advice.Local("pulseContext") CallContext context,
        @Advice.Local("pulseStart") long start) {
      context = PulseHooks.context();
      start = PulseHooks.acquireEnter(context);
      return PulseHooks.acquireGate(context, dataSource);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object blocked,
        @Advice.Local("pulseContext") CallContext context,
        @Advice.Local("pulseStart") long start,
        @Advice.This Object dataSource,
        @Advice.Return Object connection,
        @Advice.Thrown(readOnly = false) Throwable failure) {
      if (blocked != null) {
        failure = (Throwable) blocked;
      }
      PulseHooks.acquireExit(context, start, dataSource, connection, failure, blocked != null);
    }
  }
}
