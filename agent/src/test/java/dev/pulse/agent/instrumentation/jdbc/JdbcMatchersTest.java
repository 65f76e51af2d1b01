package dev.pulse.agent.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.TestClassFacts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which methods of real classes (HikariCP's proxies, H2's driver) the JDBC advice goes into. */
class JdbcMatchersTest {
  private static final String HIKARI = "com.zaxxer.hikari.pool.";

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
    // the JDBC interfaces' default methods: generated as calls of the driver's, base class or not
    assertTrue(advised(new BatchExecuteInstrumentation(), HIKARI + "HikariProxyStatement",
        "executeLargeBatch", 0));
    assertTrue(advised(new ExecuteInstrumentation(), HIKARI + "HikariProxyPreparedStatement",
        "executeLargeUpdate", 0));
  }

  @Test
  void thePoolsOwnUpkeepIsMarkedAsTheirs() {
    Instrumentation upkeep = new PoolUpkeepInstrumentation();
    assertTrue(advised(upkeep, HIKARI + "PoolBase", "isConnectionDead", 1));
    assertTrue(advised(upkeep, HIKARI + "PoolBase", "newConnection", 1));
    assertTrue(advised(upkeep, "org.apache.commons.dbcp2.PoolableConnectionFactory",
        "validateObject", 1));
    assertTrue(advised(upkeep, "org.apache.commons.dbcp2.PoolableConnectionFactory",
        "makeObject", 0));
    assertTrue(advised(upkeep, "org.apache.tomcat.jdbc.pool.PooledConnection", "validate", 1));
    assertTrue(advised(upkeep, "org.apache.tomcat.jdbc.pool.PooledConnection", "connect", 0));
    assertTrue(advised(upkeep, "com.mchange.v2.c3p0.WrapperConnectionPoolDataSource",
        "getPooledConnection", 0));
    assertTrue(advised(upkeep, "com.mchange.v2.c3p0.impl.DefaultConnectionTester",
        "activeCheckConnection", 3));
    assertTrue(advised(upkeep, "org.vibur.dbcp.pool.ConnectionFactory", "create", 1));
    assertTrue(advised(upkeep, "org.vibur.dbcp.pool.ConnectionFactory", "readyToTake", 1));
    assertTrue(advised(upkeep, "io.agroal.pool.ConnectionFactory", "createConnection", 0));
    assertTrue(advised(upkeep, "io.agroal.pool.ConnectionPool", "performValidation", 2));
    assertTrue(advised(upkeep, "io.agroal.pool.ConnectionHandler", "resetConnection", 0));
    assertFalse(advised(upkeep, HIKARI + "HikariPool", "getConnection", 0));
  }

  @Test
  void aDataSourcesBaseClassThatDeclaresGetConnectionGetsTheAdvice() {
    // Tomcat JDBC: pool.DataSource inherits getConnection from DataSourceProxy, no DataSource
    assertTrue(advised(new DataSourceInstrumentation(),
        "org.apache.tomcat.jdbc.pool.DataSourceProxy", "getConnection", 0));
    assertTrue(advised(new DataSourceInstrumentation(),
        "org.postgresql.ds.common.BaseDataSource", "getConnection", 0));
    assertFalse(new DataSourceInstrumentation().appliesTo(
        TestClassFacts.of("org.apache.tomcat.jdbc.pool.ConnectionPool")));
  }

  @Test
  void proxiesAreClosedInTheirPoolsHandlerOnce() {
    String tomcat = "org.apache.tomcat.jdbc.pool.ProxyConnection";
    String vibur = "org.vibur.dbcp.proxy.ConnectionInvocationHandler";
    for (String handler : List.of(tomcat, vibur)) {
      ClassFacts type = TestClassFacts.of(handler);
      List<String> advised = new ArrayList<>();
      for (Instrumentation close : ProxyCloseInstrumentation.all()) {
        if (close.appliesTo(type)) {
          type.methods().stream().filter(m -> close.advises(type, m))
              .forEach(m -> advised.add(m.name() + m.descriptor()));
        }
      }
      // Tomcat's interceptors before it pass every call on; Vibur's bridge method calls the typed one
      assertEquals(List.of(handler.equals(tomcat)
          ? "invoke(Ljava/lang/Object;Ljava/lang/reflect/Method;[Ljava/lang/Object;)Ljava/lang/Object;"
          : "unrestrictedInvoke(Ljava/sql/Connection;Ljava/lang/reflect/Method;[Ljava/lang/Object;)"
              + "Ljava/lang/Object;"), advised, handler);
    }
    for (Instrumentation close : ProxyCloseInstrumentation.all()) {
      assertFalse(close.appliesTo(
          TestClassFacts.of("org.apache.tomcat.jdbc.pool.DisposableConnectionFacade")));
    }
  }

  @Test
  void supertypesAreFoundThroughTheJdksInterfacesToo() {
    // JdbcPreparedStatement implements PreparedStatement, which extends Statement
    assertTrue(new ExecuteInstrumentation().appliesTo(
        TestClassFacts.of("org.h2.jdbc.JdbcPreparedStatement")));
    assertFalse(new ExecuteInstrumentation().appliesTo(
        TestClassFacts.of("org.h2.jdbc.JdbcConnection")));
    assertTrue(new DataSourceInstrumentation().appliesTo(
        TestClassFacts.of("com.zaxxer.hikari.HikariDataSource")));
  }

  private boolean advised(Instrumentation instrumentation, String typeName, String method,
      int arguments) {
    ClassFacts type = TestClassFacts.of(typeName);
    return instrumentation.appliesTo(type) && type.methods().stream()
        .filter(m -> m.name().equals(method) && m.argumentCount() == arguments)
        .anyMatch(m -> instrumentation.advises(type, m));
  }
}
