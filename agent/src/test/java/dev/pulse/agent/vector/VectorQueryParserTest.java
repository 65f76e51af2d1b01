package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VectorQueryParserTest {
  private static final String VECTOR = "'[0.1, -0.2, 3e-2]'";

  private static VectorQuery parse(String sql) {
    VectorQuery query = VectorQueryParser.parse(sql);
    assertNotNull(query, sql);
    return query;
  }

  @Test
  void plainJdbcWithBoundVectorAndK() {
    VectorQuery query = parse("SELECT id, content, embedding <=> ?::vector AS distance"
        + " FROM mid_term_memories ORDER BY embedding <=> ?::vector LIMIT ?");
    assertEquals("mid_term_memories", query.table());
    assertEquals(Distance.COSINE, query.distance());
    assertEquals(-1, query.literalK());
    assertEquals(3, query.kParameter());
    assertEquals(2, query.vectorParameter());
    assertEquals(3, query.parameterCount());
  }

  @Test
  void springAiPgVectorStoreOrdersByTheSelectAlias() {
    VectorQuery query = parse("SELECT *, embedding <=> ? AS distance FROM public.vector_store"
        + " WHERE embedding <=> ? < ? ORDER BY distance LIMIT ? ");
    assertEquals("vector_store", query.table());
    assertEquals(Distance.COSINE, query.distance());
    assertEquals(4, query.kParameter());
    assertEquals(4, query.parameterCount());
  }

  @Test
  void springAiWithAFilterExpressionAndOtherDistances() {
    VectorQuery query = parse("SELECT *, embedding <-> ? AS distance FROM public.vector_store"
        + " WHERE embedding <-> ? < ? AND metadata::jsonb @@ '$.author == \"john\"'::jsonpath"
        + " ORDER BY distance LIMIT ?");
    assertEquals(Distance.L2, query.distance());
    assertEquals(4, query.kParameter());
  }

  @Test
  void langChain4jInlinesTheVectorAndK() {
    // PgVectorEmbeddingStore.search in LangChain4j 1.x, with a metadata filter
    VectorQuery query = parse("SELECT (2 - (embedding <=> " + VECTOR + ")) / 2 AS score, embedding_id,"
        + " embedding, text, metadata FROM embeddings WHERE round(cast(float8 (embedding <=> " + VECTOR
        + ") as numeric), 8) <= round(2 - 2 * 0.7, 8) AND (metadata->>'user')::text = 'ann'"
        + " ORDER BY embedding <=> " + VECTOR + " LIMIT 4;");
    assertEquals("embeddings", query.table());
    assertEquals(Distance.COSINE, query.distance());
    assertEquals(4, query.literalK());
    assertEquals(-1, query.vectorParameter());
  }

  @Test
  void olderLangChain4jOrdersByTheScoreOfACte() {
    // PgVectorEmbeddingStore.findRelevant before 1.0: the score is an alias inside a CTE
    VectorQuery query = parse("WITH temp AS (SELECT (2 - (embedding <=> " + VECTOR + ")) / 2 AS score,"
        + " embedding_id, embedding, text, metadata FROM \"Embeddings\") SELECT * FROM temp"
        + " WHERE score >= 0.5 ORDER BY score desc LIMIT 4;");
    assertEquals("Embeddings", query.table(), "the CTE's table, not the CTE's name");
    assertEquals(Distance.COSINE, query.distance());
    assertEquals(4, query.literalK());
  }

  @Test
  void hibernateVectorCastsTheParameterAndFetchesFirstRows() {
    VectorQuery literal = parse("select e1_0.id,e1_0.embedding from Document e1_0"
        + " order by e1_0.embedding<->cast(? as vector) fetch first 5 rows only");
    assertEquals("document", literal.table());
    assertEquals(Distance.L2, literal.distance());
    assertEquals(5, literal.literalK());
    assertEquals(1, literal.vectorParameter());
    VectorQuery bound = parse("select e1_0.id from Document e1_0"
        + " order by e1_0.embedding<=>cast(? as vector) fetch first ? rows only");
    assertEquals(2, bound.kParameter());
  }

  @ParameterizedTest
  @CsvSource({"<->, L2", "<=>, COSINE", "<#>, INNER_PRODUCT", "<+>, L1", "<~>, HAMMING",
      "<%>, JACCARD"})
  void everyDistanceOperator(String operator, Distance distance) {
    assertEquals(distance, parse("SELECT id FROM items ORDER BY embedding " + operator
        + " '[1,2,3]' LIMIT 10").distance());
  }

  @Test
  void quotedSchemaQualifiedNamesFiltersAndSubqueries() {
    VectorQuery query = parse("select id from \"Vector Schema\".\"My Items\" i where i.tenant = ?"
        + " and i.id in (select item_id from acl where user_id = ?)"
        + " order by i.embedding <-> (select embedding from items where id = ?) asc limit 7");
    assertEquals("My Items", query.table());
    assertEquals(7, query.literalK());
    assertEquals(-1, query.vectorParameter(), "the operand is a subquery, not a parameter");

    VectorQuery inner = parse("SELECT * FROM (SELECT id, embedding <#> ? AS score FROM docs"
        + " ORDER BY embedding <#> ? LIMIT 20) nearest ORDER BY id");
    assertEquals("docs", inner.table());
    assertEquals(20, inner.literalK());
    assertEquals(2, inner.vectorParameter());
  }

  @Test
  void commentsAndStringsCannotFakeOrHideASearch() {
    VectorQuery query = parse("/* ORDER BY x <-> y LIMIT 1 */ SELECT id -- limit ?\n"
        + " FROM items WHERE note = 'order by a <=> b limit 3' ORDER BY embedding <+> ? LIMIT ?");
    assertEquals(Distance.L1, query.distance());
    assertEquals(2, query.kParameter());
    assertEquals(1, query.vectorParameter());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 1",
      "SELECT id FROM items ORDER BY created_at DESC LIMIT 10",
      "SELECT embedding <-> '[1,2]' AS d FROM items LIMIT 5",
      "SELECT id FROM items ORDER BY embedding <-> '[1,2]'",
      "INSERT INTO items (embedding) VALUES ('[1,2,3]')",
      "SELECT id FROM items WHERE embedding <-> ? < 0.5 ORDER BY id LIMIT 3",
      "SELECT id FROM items ORDER BY d LIMIT 3",
      "UPDATE items SET note = 'ORDER BY e <-> x LIMIT 1'",
      "SELECT id, row_number() OVER (ORDER BY embedding <-> ?) FROM items LIMIT 5",
      "CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops)",
      "SET hnsw.ef_search = 100"
  })
  void otherStatementsAreNoSearch(String sql) {
    assertNull(VectorQueryParser.parse(sql), sql);
  }

  @Test
  void dollarQuotesAndEscapedStringsAreSkipped() {
    VectorQuery query = parse("SELECT id FROM items WHERE a = $$ORDER BY e <-> x LIMIT 1$$"
        + " AND b = E'it\\'s <-> ?' AND c = $tag$?$tag$ ORDER BY embedding <-> ? LIMIT 2");
    assertEquals(2, query.literalK());
    assertEquals(1, query.vectorParameter());
    assertEquals(1, query.parameterCount());
  }
}
