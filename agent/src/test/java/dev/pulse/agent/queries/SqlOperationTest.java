package dev.pulse.agent.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Operation and collection as the conventions define them, from statements real code sends. */
class SqlOperationTest {

  private static void assertNamed(String operation, String collection, String sql) {
    SqlOperation named = SqlOperation.of(sql);
    assertEquals(operation, named.operation, sql);
    assertEquals(collection, named.collection, sql);
  }

  @Test
  void oneTableIsTheCollection() {
    assertNamed("SELECT", "orders", "select id, total from orders where id = ?");
    assertNamed("SELECT", "public.items", "SELECT *, embedding <=> ? AS distance FROM public.items"
        + " WHERE embedding <=> ? < ? ORDER BY distance LIMIT ?");
    assertNamed("SELECT", "orders", "SELECT o.id FROM orders o WHERE o.id = 1 FOR UPDATE SKIP LOCKED");
    assertNamed("INSERT", "host_t", "insert into host_t values (?)");
    assertNamed("INSERT", "Orders", "INSERT INTO \"Orders\" (id, n) VALUES (1, 2)"
        + " ON CONFLICT (id) DO UPDATE SET n = excluded.n");
    assertNamed("UPDATE", "orders", "UPDATE orders SET total = total + 1 WHERE id = ?");
    assertNamed("DELETE", "orders", "DELETE FROM orders WHERE id = ?");
    assertNamed("CREATE", "host_t", "create temporary table if not exists host_t (n int)");
    assertNamed("DROP", "t", "DROP TABLE IF EXISTS t");
    assertNamed("TRUNCATE", "t", "TRUNCATE TABLE t");
    assertNamed("SELECT", "t", "/* a comment */ (SELECT a FROM t)");
  }

  @Test
  void severalStatementsShareOnlyWhatAllHave() {
    assertNamed("INSERT", "t", "INSERT INTO t VALUES (?); INSERT INTO t (id) VALUES (?);");
    assertNamed("UPDATE", null, "UPDATE a SET n = ?; UPDATE b SET n = ?");
    assertNamed(null, "t", "INSERT INTO t VALUES (?); DELETE FROM t WHERE id = ?");
    assertNamed(null, null, "INSERT INTO a VALUES (?); UPDATE b SET n = ?; DELETE FROM a");
    assertNamed("SELECT", "t", "SELECT ';' FROM t");
    assertNamed(null, null, ";");
  }

  @Test
  void severalTablesOrNoneGiveNoCollection() {
    assertNamed("SELECT", null, "select 1");
    assertNamed("SELECT", null, "SELECT * FROM a JOIN b ON a.id = b.a_id");
    assertNamed("SELECT", null, "SELECT * FROM a, b WHERE a.id = b.id");
    assertNamed("SELECT", null, "SELECT * FROM a x, b y WHERE x.id = y.id");
    assertNamed("SELECT", null, "SELECT * FROM a WHERE id IN (SELECT a_id FROM b)");
    assertNamed("SELECT", null, "SELECT * FROM (SELECT * FROM a) s");
    assertNamed("SELECT", null, "SELECT * FROM generate_series(1, 10)");
    assertNamed("INSERT", null, "INSERT INTO a SELECT * FROM b");
    assertNamed("SELECT", null, "SELECT a FROM t UNION SELECT a FROM u");
    assertNamed("UPDATE", null, "WITH x AS (SELECT id FROM a) UPDATE b SET n = 1 FROM x");
  }

  @Test
  void anUnknownFirstWordGivesNoOperation() {
    assertNamed(null, null, "frobnicate everything");
    assertNamed(null, null, "?");
    assertNamed(null, null, "");
  }
}
