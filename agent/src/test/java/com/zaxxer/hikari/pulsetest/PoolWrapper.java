package com.zaxxer.hikari.pulsetest;

import com.zaxxer.hikari.HikariDataSource;

/**
 * An application's wrapper living in a package under com.zaxxer.hikari (as wrappers, and
 * HikariCP's own tests, do): a resize it makes is its own, not the next frame's.
 */
public final class PoolWrapper {
  private final HikariDataSource dataSource;

  public PoolWrapper(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public void resize(int maximum) {
    dataSource.setMaximumPoolSize(maximum);
  }
}
