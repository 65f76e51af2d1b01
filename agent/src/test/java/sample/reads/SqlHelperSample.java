package sample.reads;

import java.sql.SQLException;

/** Mentions java.sql, as many of a driver's classes do, and declares no method any advice takes. */
public class SqlHelperSample extends SqlHelperBase {
  public String describe(SQLException failure) {
    return failure.getSQLState();
  }
}
