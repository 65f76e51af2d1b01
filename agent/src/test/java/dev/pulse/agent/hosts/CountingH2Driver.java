package dev.pulse.agent.hosts;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/** H2's driver, counting every connection anyone opens through it (the pool, or anything else). */
public final class CountingH2Driver implements Driver {
  static final AtomicInteger CONNECTS = new AtomicInteger();
  private final Driver h2 = new org.h2.Driver();

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    Connection connection = h2.connect(url, info);
    if (connection != null) {
      CONNECTS.incrementAndGet();
    }
    return connection;
  }

  @Override
  public boolean acceptsURL(String url) throws SQLException {
    return h2.acceptsURL(url);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    return h2.getPropertyInfo(url, info);
  }

  @Override
  public int getMajorVersion() {
    return h2.getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return h2.getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }
}
