package dev.pulse.agent.instrumentation.jdbc;

import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.context;
import static dev.pulse.agent.instrumentation.Advice.entered;
import static dev.pulse.agent.instrumentation.Advice.returned;
import static dev.pulse.agent.instrumentation.Advice.self;
import static dev.pulse.agent.instrumentation.Advice.thrown;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;
import java.util.Set;

/**
 * {@code DataSource.getConnection()} and {@code getConnection(user, password)}, any implementation:
 * times the wait and reports the connection and its DataSource. With the error firewall's
 * fail-fast on and the pool's database unreachable, the gate returns the firewall's SQLException:
 * the original method is skipped and the call fails at once with it.
 */
public final class DataSourceInstrumentation implements Instrumentation {
  private static final String CONNECTION = "Ljava/sql/Connection;";
  private static final Advice ADVICE = Advice.onEnter(context(),
          call("acquireEnter", "J", entered(0)),
          call("acquireGate", "Ljava/lang/Object;", entered(0), self()))
      .skipThrowing(2)
      .onExit(call("acquireExit", "V", entered(0), entered(1), self(), returned(), thrown(),
          entered(2)));

  /**
   * Base classes that DataSources inherit getConnection from and whose names do not say so: a base
   * class loads before what extends it, so it cannot be told by its subclasses. Tomcat JDBC's
   * connections are JDK proxies: their close is seen by {@link ProxyCloseInstrumentation}.
   */
  private static final Set<String> NAMED_BASES = Set.of(
      "org/apache/tomcat/jdbc/pool/DataSourceProxy"); // Tomcat JDBC's pool.DataSource

  /**
   * DataSources, and the base classes they inherit getConnection from without themselves being
   * DataSources (pgjdbc's BaseDataSource under PGSimpleDataSource, Tomcat JDBC's DataSourceProxy):
   * advice goes where the method is declared.
   */
  @Override
  public boolean appliesTo(ClassFacts type) {
    return type.hasSuperType("javax/sql/DataSource")
        || ((type.name().endsWith("DataSource") || NAMED_BASES.contains(type.name()))
            && declaresGetConnection(type));
  }

  private static boolean declaresGetConnection(ClassFacts type) {
    for (MethodFacts method : type.methods()) {
      if (method.isNamed("getConnection") && method.returned().equals(CONNECTION)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return method.isNamed("getConnection") && method.isPublic() && method.hasBody()
        && (method.argumentCount() == 0 || method.argumentCount() == 2)
        && method.returned().equals(CONNECTION);
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
