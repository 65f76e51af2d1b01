package dev.pulse.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The implementations the JDBC instrumentations advise: the driver's and any pool's proxies. */
final class JdbcTypes {
  private JdbcTypes() {
  }

  static ElementMatcher.Junction<TypeDescription> connections() {
    return not(isInterface()).and(hasSuperType(named("java.sql.Connection")));
  }

  static ElementMatcher.Junction<TypeDescription> statements() {
    return not(isInterface()).and(hasSuperType(named("java.sql.Statement")));
  }

  /**
   * A method whose first parameter is a String (the statement's text). Matched by name, as every
   * matcher here: one made from a {@code Class} describes it through reflection, which costs
   * ByteBuddy a few hundred classes of its own when the agent starts.
   */
  static ElementMatcher.Junction<MethodDescription> takesText() {
    return takesArgument(0, named("java.lang.String"));
  }

  /** A public method with a body. */
  static ElementMatcher.Junction<MethodDescription> implemented(String name) {
    return named(name).and(isPublic()).and(not(isAbstract()));
  }
}
