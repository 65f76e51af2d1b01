package dev.pulse.testing;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;

/**
 * Stand-ins for a driver's connection and statements where a unit test needs no database (the
 * instrumentation's and the listeners' own logic): they answer getConnection, unwrap and
 * getAutoCommit, and nothing else.
 */
public final class JdbcFakes {
  private JdbcFakes() {
  }

  public static Connection connection() {
    return (Connection) Proxy.newProxyInstance(JdbcFakes.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "unwrap": return proxy;
            case "getAutoCommit": return true;
            default: return objectMethod(proxy, method.getName(), args);
          }
        });
  }

  public static PreparedStatement statement(Connection connection) {
    return (PreparedStatement) Proxy.newProxyInstance(JdbcFakes.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getConnection": return connection;
            case "unwrap": return proxy;
            default: return objectMethod(proxy, method.getName(), args);
          }
        });
  }

  private static Object objectMethod(Object proxy, String name, Object[] args) {
    switch (name) {
      case "hashCode": return System.identityHashCode(proxy);
      case "equals": return proxy == args[0];
      case "toString": return "fake@" + Integer.toHexString(System.identityHashCode(proxy));
      default: throw new UnsupportedOperationException(name);
    }
  }
}
