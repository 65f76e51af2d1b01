package sample.overlap;

import java.sql.Connection;
import java.sql.Statement;

/** A wrapper that is a Connection and a Statement: one close() for both. */
public abstract class BothCloseSample implements Connection, Statement {
  @Override
  public void close() {
  }
}
