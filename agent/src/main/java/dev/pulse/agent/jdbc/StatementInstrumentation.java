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

/**
 * Statement execution on Statement, PreparedStatement and CallableStatement implementations: the
 * driver's and any pool's proxies alike. The call depth kept by the advice counts a call through
 * a proxy into the driver once.
 */
public final class StatementInstrumentation {
  /** executeQuery has instrumentations of its own: it alone returns an object (the ResultSet). */
  private static final String[] EXECUTE_METHODS = {"execute", "executeUpdate",
      "executeLargeUpdate", "executeBatch", "executeLargeBatch"};

  private StatementInstrumentation() {
  }

  static ElementMatcher.Junction<TypeDescription> statementTypes() {
    return not(isInterface()).and(hasSuperType(named("java.sql.Statement")));
  }

  static ElementMatcher.Junction<MethodDescription> executeMethods() {
    return namedOneOf(EXECUTE_METHODS).and(isPublic()).and(not(isAbstract()));
  }

  static ElementMatcher.Junction<MethodDescription> executeQuery() {
    return named("executeQuery").and(isPublic()).and(not(isAbstract()));
  }

  /** The advice binds the first argument as the SQL where there is one. */
  static ElementMatcher.Junction<MethodDescription> withoutArgumentsOrSqlFirst() {
    return takesArguments(0).or(takesArgument(0, String.class));
  }

  /**
   * execute(), executeBatch()... (the SQL was given when the statement was prepared) and
   * execute(sql), executeUpdate(sql, keys)... (the SQL is the first argument).
   */
  public static final class Execute implements Instrumentation {
    @Override
    public ElementMatcher<TypeDescription> types() {
      return statementTypes();
    }

    @Override
    public ElementMatcher<MethodDescription> methods() {
      return executeMethods().and(withoutArgumentsOrSqlFirst());
    }

    @Override
    public String adviceClass() {
      return StatementAdvice.class.getName();
    }
  }

  /** executeQuery() of a prepared statement, and executeQuery(sql). */
  public static final class Query implements Instrumentation {
    @Override
    public ElementMatcher<TypeDescription> types() {
      return statementTypes();
    }

    @Override
    public ElementMatcher<MethodDescription> methods() {
      return executeQuery().and(withoutArgumentsOrSqlFirst());
    }

    @Override
    public String adviceClass() {
      return QueryAdvice.class.getName();
    }
  }
}
