package dev.pulse.agent.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.Instrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Connection implementations: where prepared SQL is given, and where transactions end. */
public final class ConnectionInstrumentation {
  private ConnectionInstrumentation() {
  }

  static ElementMatcher.Junction<TypeDescription> connectionTypes() {
    return not(isInterface()).and(hasSuperType(named("java.sql.Connection")));
  }

  /** prepareStatement(sql, ...) and prepareCall(sql, ...). */
  public static final class Prepare implements Instrumentation {
    @Override
    public ElementMatcher<TypeDescription> types() {
      return connectionTypes();
    }

    @Override
    public ElementMatcher<MethodDescription> methods() {
      return namedOneOf("prepareStatement", "prepareCall").and(isPublic()).and(not(isAbstract()))
          .and(takesArgument(0, String.class));
    }

    @Override
    public String adviceClass() {
      return PrepareAdvice.class.getName();
    }
  }

  /** commit() and rollback(). */
  public static final class TransactionEnd implements Instrumentation {
    @Override
    public ElementMatcher<TypeDescription> types() {
      return connectionTypes();
    }

    @Override
    public ElementMatcher<MethodDescription> methods() {
      return namedOneOf("commit", "rollback").and(takesArguments(0)).and(isPublic())
          .and(not(isAbstract()));
    }

    @Override
    public String adviceClass() {
      return TransactionEndAdvice.class.getName();
    }
  }
}
