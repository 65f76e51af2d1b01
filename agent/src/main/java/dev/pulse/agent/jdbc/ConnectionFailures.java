package dev.pulse.agent.jdbc;

import java.net.ConnectException;
import java.sql.SQLException;

/** Tells a failure to reach the database (SQLState class 08, a refused socket) from others. */
public final class ConnectionFailures {
  private ConnectionFailures() {
  }

  /** "SQLState 08001", "connection refused", or null when the failure is not a connection one. */
  public static String cause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state != null && state.startsWith("08")) {
          return "SQLState " + state;
        }
        SQLException next = ((SQLException) t).getNextException();
        if (next != null && next != t && next.getSQLState() != null && next.getSQLState().startsWith("08")) {
          return "SQLState " + next.getSQLState();
        }
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
    }
    return null;
  }
}
