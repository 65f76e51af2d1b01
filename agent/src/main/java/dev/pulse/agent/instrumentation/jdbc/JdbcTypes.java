package dev.pulse.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
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

  /**
   * A public method of one of these names with a body, except where HikariCP's generated proxy
   * only calls its base class's (below).
   */
  static ElementMatcher.Junction<MethodDescription> implemented(String... names) {
    return namedOneOf(names).and(isPublic()).and(not(isAbstract()))
        .and(not(new CallsItsHikariBase()));
  }

  /**
   * A method of HikariCP's generated proxies ({@code HikariProxyConnection},
   * {@code HikariProxyPreparedStatement}, ...) that their base class ({@code ProxyConnection},
   * {@code ProxyStatement}, ...) implements: HikariCP generates it as a call of the base class's
   * (to wrap its SQLException), so the base class's advice sees the same call with the same
   * {@code this}, and advice here too would cost each call a second thread-local lookup and depth
   * count (the first of three levels, with the driver's). Methods the base class leaves to the
   * proxy call the driver directly and keep their advice.
   */
  private static final class CallsItsHikariBase
      extends ElementMatcher.Junction.AbstractBase<MethodDescription> {
    @Override
    public boolean matches(MethodDescription method) {
      TypeDescription type = method.getDeclaringType().asErasure();
      if (!type.getName().startsWith("com.zaxxer.hikari.pool.HikariProxy")) {
        return false;
      }
      MethodDescription.SignatureToken signature = method.asSignatureToken();
      try {
        for (TypeDefinition base = type.getSuperClass(); base != null;
            base = base.getSuperClass()) {
          for (MethodDescription inherited : base.getDeclaredMethods()) {
            if (!inherited.isAbstract() && inherited.asSignatureToken().equals(signature)) {
              return true;
            }
          }
        }
      } catch (RuntimeException e) {
        // a base class that cannot be described: advised here too (counted once either way)
      }
      return false;
    }
  }
}
