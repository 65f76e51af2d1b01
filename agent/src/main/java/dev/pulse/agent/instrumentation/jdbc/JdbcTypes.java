package dev.pulse.agent.instrumentation.jdbc;

import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.MethodFacts;

/** The implementations the JDBC instrumentations advise: the driver's and any pool's proxies. */
final class JdbcTypes {
  static final String STRING = "Ljava/lang/String;";
  /** The advised methods java.sql.Statement and PreparedStatement declare as default methods. */
  private static final String[] JDBC_DEFAULT_METHODS = {"executeLargeBatch", "executeLargeUpdate"};

  private JdbcTypes() {
  }

  static boolean connection(ClassFacts type) {
    return type.hasSuperType("java/sql/Connection");
  }

  static boolean statement(ClassFacts type) {
    return type.hasSuperType("java/sql/Statement");
  }

  /** A method whose first parameter is a String (the statement's text). */
  static boolean takesText(MethodFacts method) {
    return STRING.equals(method.argument(0));
  }

  /**
   * A public method of one of these names with a body, except where HikariCP's generated proxy
   * only calls its base class's (below).
   */
  static boolean implemented(ClassFacts type, MethodFacts method, String... names) {
    return method.isNamed(names) && method.isPublic() && method.hasBody()
        && !callsItsHikariBase(type, method);
  }

  /**
   * A method of HikariCP's generated proxies ({@code HikariProxyConnection},
   * {@code HikariProxyPreparedStatement}, ...) that their base class ({@code ProxyConnection},
   * {@code ProxyStatement}, ...) implements: HikariCP generates it as a call of the base class's
   * (to wrap its SQLException), so the base class's advice sees the same call with the same
   * {@code this}, and advice here too would cost each call a second thread-local lookup and depth
   * count (the first of three levels, with the driver's). Methods the base class leaves to the
   * proxy call the driver directly and keep their advice, and so do the JDBC interfaces' default
   * methods ({@code executeLargeBatch}, {@code executeLargeUpdate}): HikariCP's generator makes
   * those call the driver even where the base class implements them. A base class that cannot be
   * read: advised here too (counted once either way).
   */
  private static boolean callsItsHikariBase(ClassFacts type, MethodFacts method) {
    if (!type.name().startsWith("com/zaxxer/hikari/pool/HikariProxy")
        || method.isNamed(JDBC_DEFAULT_METHODS)) {
      return false;
    }
    for (ClassFacts base = type.superClass(); base != null; base = base.superClass()) {
      for (MethodFacts inherited : base.methods()) {
        if (inherited.hasBody() && inherited.name().equals(method.name())
            && inherited.descriptor().equals(method.descriptor())) {
          return true;
        }
      }
    }
    return false;
  }
}
