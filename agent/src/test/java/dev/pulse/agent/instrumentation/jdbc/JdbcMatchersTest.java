package dev.pulse.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.Instrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/** Which methods of real classes (HikariCP's proxies, H2's driver) the JDBC advice goes into. */
class JdbcMatchersTest {
  private static final String HIKARI = "com.zaxxer.hikari.pool.";
  private final TypePool types = TypePool.Default.ofSystemLoader();

  @Test
  void hikarisGeneratedProxiesLeaveToTheirBaseClassWhatItImplementsOnceAdvised() {
    Instrumentation prepare = new PrepareInstrumentation();
    assertFalse(advised(prepare, HIKARI + "HikariProxyConnection", "prepareStatement", 1));
    assertTrue(advised(prepare, HIKARI + "ProxyConnection", "prepareStatement", 1));
    assertTrue(advised(prepare, "org.h2.jdbc.JdbcConnection", "prepareStatement", 1));
    Instrumentation query = new QueryInstrumentation();
    assertFalse(advised(query, HIKARI + "HikariProxyPreparedStatement", "executeQuery", 0));
    assertTrue(advised(query, HIKARI + "ProxyPreparedStatement", "executeQuery", 0));
    assertTrue(advised(query, "org.h2.jdbc.JdbcPreparedStatement", "executeQuery", 0));
    Instrumentation execute = new ExecuteInstrumentation();
    assertFalse(advised(execute, HIKARI + "HikariProxyStatement", "execute", 1));
    assertTrue(advised(execute, HIKARI + "ProxyStatement", "execute", 1));
    Instrumentation commit = new TransactionEndInstrumentation();
    assertFalse(advised(commit, HIKARI + "HikariProxyConnection", "commit", 0));
    assertTrue(advised(commit, HIKARI + "ProxyConnection", "commit", 0));
  }

  @Test
  void aProxyMethodItsBaseClassLeavesToItCallsTheDriverAndKeepsItsAdvice() {
    // PreparedStatement.addBatch(): ProxyPreparedStatement does not implement it
    assertTrue(advised(new BatchInstrumentation.AddBatch(), HIKARI + "HikariProxyPreparedStatement",
        "addBatch", 0));
  }

  private boolean advised(Instrumentation instrumentation, String typeName, String method,
      int arguments) {
    TypeDescription type = types.describe(typeName).resolve();
    return instrumentation.types().matches(type)
        && type.getDeclaredMethods().filter(named(method).and(takesArguments(arguments))).stream()
            .anyMatch(instrumentation.methods()::matches);
  }
}
