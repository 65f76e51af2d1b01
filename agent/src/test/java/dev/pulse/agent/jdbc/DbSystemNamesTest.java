package dev.pulse.agent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** db.system.name from what a pool is configured with, never from a connection. */
class DbSystemNamesTest {

  /** A configuration as HikariCP's reads: a JDBC URL, or only a DataSource class name. */
  public static final class Config {
    private final String url;
    private final String dataSourceClassName;

    Config(String url, String dataSourceClassName) {
      this.url = url;
      this.dataSourceClassName = dataSourceClassName;
    }

    public String getJdbcUrl() {
      return url;
    }

    public String getDataSourceClassName() {
      return dataSourceClassName;
    }
  }

  @Test
  void theUrlsSubprotocolNamesTheSystemBehindAWrappingDriverToo() {
    assertEquals("postgresql", DbSystemNames.of(new Config("jdbc:postgresql://db:5432/app", null)));
    assertEquals("h2database", DbSystemNames.of(new Config("jdbc:h2:mem:test", null)));
    assertEquals("postgresql", DbSystemNames.of(new Config("jdbc:p6spy:postgresql://db/app", null)));
    assertEquals("microsoft.sql_server", DbSystemNames.of(new Config("jdbc:sqlserver://db:1433", null)));
    assertEquals("mysql", DbSystemNames.of(new Config("jdbc:mysql://db/app", null)));
  }

  @Test
  void withoutAUrlTheDataSourceClassSaysElseOtherSql() {
    assertEquals("postgresql", DbSystemNames.of(new Config(null, "org.postgresql.ds.PGSimpleDataSource")));
    assertEquals("h2database", DbSystemNames.of(new Config(null, "org.h2.jdbcx.JdbcDataSource")));
    assertEquals("other_sql", DbSystemNames.of(new Config("jdbc:unknowndb://x", null)));
    assertEquals("other_sql", DbSystemNames.of(new Object()));
    assertEquals("other_sql", DbSystemNames.of(null));
  }
}
