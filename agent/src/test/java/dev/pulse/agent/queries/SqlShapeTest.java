package dev.pulse.agent.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SqlShapeTest {

  @Test
  void literalsOfEveryKindBecomeOnePlaceholder() {
    assertEquals("SELECT * FROM t WHERE id = ? AND name = ? AND x > ? AND y = ?",
        SqlShape.normalize("SELECT * FROM t WHERE id = 42 AND name = 'bob''s' AND x > -1.5e3"
            + " AND y = E'a\\'b'"));
    assertEquals("SELECT id FROM items ORDER BY embedding <-> ? LIMIT ?",
        SqlShape.normalize("SELECT id FROM items ORDER BY embedding <-> '[0.1, 0.2, 0.3]' LIMIT 5"));
    assertEquals("SELECT ?::vector", SqlShape.normalize("SELECT '[1,2,3]'::vector"));
    assertEquals("SELECT ?", SqlShape.normalize("SELECT $$ a secret"), "an unterminated dollar quote");
  }

  @Test
  void inListsOfAnyLengthFoldToOne() {
    String shape = "SELECT * FROM t WHERE id IN (?) AND k in(?)";
    assertEquals(shape, SqlShape.normalize("SELECT * FROM t WHERE id IN (1, 2, 3) AND k in('a')"));
    assertEquals(shape, SqlShape.normalize("SELECT * FROM t WHERE id IN (?, ?) AND k in(?)"));
    assertEquals("SELECT * FROM t WHERE id IN (SELECT id FROM u)",
        SqlShape.normalize("SELECT * FROM t WHERE id IN (SELECT id FROM u)"), "a subquery stays");
  }

  @Test
  void commentsAndWhitespaceDoNotMakeAnotherShape() {
    assertEquals("SELECT a , b FROM t WHERE c = ?",
        SqlShape.normalize("SELECT a ,\n   b /* secret 'x' */ FROM t -- 7\n WHERE c = 7"));
    assertEquals("SELECT \"Mixed\".\"Col\" FROM \"Mixed\"",
        SqlShape.normalize("SELECT \"Mixed\".\"Col\" FROM \"Mixed\""));
  }

  @Test
  void idsAreStableAndDistinct() {
    assertEquals(SqlShape.id("SELECT ?"), SqlShape.id("SELECT ?"));
    assertEquals(16, SqlShape.id("SELECT ?").length());
    assertNotEquals(SqlShape.id("SELECT ?"), SqlShape.id("SELECT ? FROM t"));
  }

  @Test
  void longShapesAreCut() {
    String sql = "SELECT " + "a, ".repeat(2000) + "b";
    assertEquals(SqlShape.MAX_LENGTH + 3, SqlShape.normalize(sql).length());
  }
}
