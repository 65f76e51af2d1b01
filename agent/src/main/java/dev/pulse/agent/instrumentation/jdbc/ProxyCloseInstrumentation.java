package dev.pulse.agent.instrumentation.jdbc;

import static dev.pulse.agent.instrumentation.Advice.argument;
import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.context;
import static dev.pulse.agent.instrumentation.Advice.entered;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;
import java.util.List;

/**
 * {@code Connection.close()} of pools that hand out JDK proxies (Tomcat JDBC, Vibur): the agent
 * never weaves the JDK's generated classes, so the close is seen in the pool's handler, where
 * every call on such a proxy ends and the connection is given back. Without it each of these
 * pools' borrows would look held for ever. One instance per pool: its handler class, and the
 * handler's method that takes the proxy, the method called and its arguments.
 */
public final class ProxyCloseInstrumentation implements Instrumentation {
  private static final String OBJECT = "Ljava/lang/Object;";
  private static final String METHOD = "Ljava/lang/reflect/Method;";

  private final String handler;
  private final String method;
  private final String proxyType;
  private final Advice advice;

  /** {@code enter}: the hook that knows which calls end a borrow in this pool. */
  private ProxyCloseInstrumentation(String handler, String method, String proxyType,
      String enter) {
    this.handler = handler;
    this.method = method;
    this.proxyType = proxyType;
    this.advice = Advice.onEnter(context(),
            call(enter, OBJECT, entered(0), argument(0, proxyType).as(OBJECT),
                argument(1, METHOD).as(OBJECT)))
        .onExit(call("proxyCloseExit", "V", entered(0), argument(0, proxyType).as(OBJECT),
            entered(1)));
  }

  static List<Instrumentation> all() {
    return List.of(
        // the last of its interceptors: the ones before it pass every call on
        new ProxyCloseInstrumentation("org/apache/tomcat/jdbc/pool/ProxyConnection", "invoke",
            OBJECT, "proxyCloseEnter"),
        // the typed method, not its bridge (which calls it: the close would be seen twice); its
        // abort gives the connection back too
        new ProxyCloseInstrumentation("org/vibur/dbcp/proxy/ConnectionInvocationHandler",
            "unrestrictedInvoke", "Ljava/sql/Connection;", "proxyCloseOrAbortEnter"));
  }

  @Override
  public boolean appliesTo(ClassFacts type) {
    return type.name().equals(handler);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts candidate) {
    return candidate.isNamed(method) && candidate.argumentCount() == 3 && candidate.hasBody()
        && proxyType.equals(candidate.argument(0)) && METHOD.equals(candidate.argument(1));
  }

  @Override
  public Advice advice() {
    return advice;
  }
}
