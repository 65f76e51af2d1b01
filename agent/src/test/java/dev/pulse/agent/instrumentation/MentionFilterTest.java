package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
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

  /** Names at every place, overlapping, cut short at the end, among bytes that resemble them. */
  @ParameterizedTest
  @CsvSource({"java/sql/ com/zaxxer/hikari/", "com/zaxxer/hikari/ java/sql/",
      "java/sql/ com/zaxxer/hikari/ ab", "lava/ aval/ l/av"})
  void findsANameWhereverItIsAsAPlainSearchDoes(String spaced) {
    List<String> names = List.of(spaced.split(" "));
    MentionFilter mixed = new MentionFilter(names);
    Random random = new Random(15);
    byte[] alphabet = String.join("", names).getBytes(StandardCharsets.US_ASCII);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(60)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
      if (bytes.length > 0 && random.nextBoolean()) {
        byte[] name = names.get(random.nextInt(names.size())).getBytes(StandardCharsets.US_ASCII);
        int at = random.nextInt(bytes.length);
        System.arraycopy(name, 0, bytes, at, Math.min(name.length, bytes.length - at));
      }
      String text = new String(bytes, StandardCharsets.US_ASCII);
      boolean expected = names.stream().anyMatch(text::contains);
      assertEquals(expected, mixed.mentionsAny(bytes), spaced + ": " + text);
    }
  }

  private static byte[] classFile(String className) throws IOException {
    try (InputStream in = MentionFilterTest.class.getClassLoader()
        .getResourceAsStream(className.replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }
}
