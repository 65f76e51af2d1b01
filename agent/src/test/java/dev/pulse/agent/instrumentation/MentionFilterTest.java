package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real class files: every kind of class the agent changes (a driver's statements and connections,
 * a DataSource's base class that declares getConnection, HikariCP's proxies and pool) gets through
 * the filter the agent installs; classes that have nothing to do with JDBC do not.
 */
class MentionFilterTest {
  private final MentionFilter filter = new MentionFilter(List.of("java/sql/", "com/zaxxer/hikari/"));

  @ParameterizedTest
  @CsvSource({
      "org.postgresql.jdbc.PgStatement, true",
      "org.postgresql.jdbc.PgPreparedStatement, true",
      "org.postgresql.jdbc.PgConnection, true",
      "org.postgresql.ds.common.BaseDataSource, true",
      "com.zaxxer.hikari.pool.HikariProxyPreparedStatement, true",
      "com.zaxxer.hikari.pool.HikariPool, true",
      "com.zaxxer.hikari.HikariConfig, true",
      "com.fasterxml.jackson.databind.ObjectMapper, false",
      "com.fasterxml.jackson.core.JsonFactory, false",
      "org.junit.jupiter.api.Assertions, false"})
  void letsThroughExactlyTheClassesThatNameJdbcOrHikariCp(String className, boolean through)
      throws IOException {
    assertEquals(through, filter.mentionsAny(classFile(className)), className);
  }

  private static byte[] classFile(String className) throws IOException {
    try (InputStream in = MentionFilterTest.class.getClassLoader()
        .getResourceAsStream(className.replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }
}
