package dev.pulse.agent.jdbc;

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

import dev.pulse.agent.instrumentation.Instrumentation;
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
    return DataSourceAdvice.class.getName();
  }
}
