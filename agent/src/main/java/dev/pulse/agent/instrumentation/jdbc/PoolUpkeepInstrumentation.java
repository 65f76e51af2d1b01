package dev.pulse.agent.instrumentation.jdbc;

import static dev.pulse.agent.instrumentation.Advice.call;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;
import java.util.Map;
import java.util.Set;

/**
 * A pool opening a physical connection (through the driver or a DataSource, running its init
 * SQL), checking one (its test query, at a borrow, a return or while idle) or resetting one is the
 * pool's upkeep, not the application's work: neither a connection wait nor a statement of the
 * application's. The thread is marked as doing the pool's own work for the duration of the call.
 */
public final class PoolUpkeepInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter(call("enterInternal", "V"))
      .onExit(call("exitInternal", "V"));
  /** The pools' own classes and their upkeep methods, by internal name. */
  private static final Map<String, Set<String>> UPKEEP = Map.of(
      // isConnectionAlive before HikariCP 5
      "com/zaxxer/hikari/pool/PoolBase",
      Set.of("newConnection", "isConnectionDead", "isConnectionAlive"),
      // connectionInitSqls at makeObject; validationQuery; the rollback and resets on return
      "org/apache/commons/dbcp2/PoolableConnectionFactory",
      Set.of("makeObject", "validateObject", "validateConnection", "activateObject",
          "passivateObject"),
      // initSQL at connect; validationQuery
      "org/apache/tomcat/jdbc/pool/PooledConnection", Set.of("connect", "validate"),
      // c3p0: a physical connection opened through its own DataSource (not a pool of its own)
      "com/mchange/v2/c3p0/WrapperConnectionPoolDataSource", Set.of("getPooledConnection"),
      // and preferredTestQuery
      "com/mchange/v2/c3p0/impl/DefaultConnectionTester",
      Set.of("activeCheckConnection", "statusOnException"),
      // Vibur: initSQL after create, testConnectionQuery at a take, the resets at a restore
      "org/vibur/dbcp/pool/ConnectionFactory", Set.of("create", "readyToTake", "readyToRestore"),
      // Agroal: initialSql at create; validation; the resets on return
      "io/agroal/pool/ConnectionFactory", Set.of("createConnection"),
      "io/agroal/pool/ConnectionPool", Set.of("performValidation"),
      "io/agroal/pool/ConnectionHandler", Set.of("resetConnection"));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return UPKEEP.containsKey(type.name());
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    Set<String> upkeep = UPKEEP.get(type.name());
    return upkeep != null && upkeep.contains(method.name()) && method.hasBody();
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
