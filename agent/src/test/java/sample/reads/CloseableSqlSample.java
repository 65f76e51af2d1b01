package sample.reads;

import java.sql.SQLException;

/** A public close(), as a Connection or Statement has: whether it is one takes its supertypes. */
public class CloseableSqlSample extends SqlHelperBase implements AutoCloseable {
  @Override
  public void close() throws SQLException {
  }
}
