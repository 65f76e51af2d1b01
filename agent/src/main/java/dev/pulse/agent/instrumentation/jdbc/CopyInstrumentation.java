package dev.pulse.agent.instrumentation.jdbc;

import static dev.pulse.agent.instrumentation.Advice.argument;
import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.context;
import static dev.pulse.agent.instrumentation.Advice.entered;
import static dev.pulse.agent.instrumentation.Advice.field;
import static dev.pulse.agent.instrumentation.Advice.thrown;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/**
 * pgjdbc's COPY of a whole stream ({@code CopyManager.copyIn(sql, from)}, {@code copyOut(sql,
 * to)}): a statement of the manager's connection, though no java.sql.Statement runs it. The
 * streaming forms ({@code copyIn(sql)}, which returns a CopyIn the application feeds) are not
 * counted: their end is the application's later call.
 */
public final class CopyInstrumentation implements Instrumentation {
  private static final String COPY_MANAGER = "org/postgresql/copy/CopyManager";
  private static final Advice ADVICE = Advice.onEnter(context(),
          call("statementEnter", "J", entered(0)))
      .onExit(call("copyExit", "V", entered(0), entered(1),
          field("connection", "Lorg/postgresql/core/BaseConnection;").as("Ljava/lang/Object;"),
          argument(0, JdbcTypes.STRING), thrown()));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return type.name().equals(COPY_MANAGER);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return method.isNamed("copyIn", "copyOut") && method.isPublic() && method.hasBody()
        && JdbcTypes.takesText(method) && method.argumentCount() >= 2
        && "J".equals(method.returned());
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
