package dev.pulse.agent.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorClassifierTest {
  private final ErrorClassifier classifier = new ErrorClassifier(List.of());

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "53300 | sorry, too many clients already                                  | too_many_connections",
      "28P01 | password authentication failed for user \"app\"                 | authentication_failed",
      "40P01 | deadlock detected                                                | deadlock",
      "40001 | could not serialize access due to concurrent update              | serialization_failure",
      "55P03 | canceling statement due to lock timeout                          | lock_timeout",
      "57014 | canceling statement due to statement timeout                     | statement_timeout",
      "57014 | canceling statement due to user request                          | statement_cancelled",
      "57P01 | terminating connection due to administrator command              | connection_terminated",
      "23505 | duplicate key value violates unique constraint \"users_email_key\" | unique_violation",
      "23503 | insert or update on table \"orders\" violates foreign key constraint \"orders_user_fk\" | foreign_key_violation",
      "23502 | null value in column \"name\" of relation \"users\" violates not-null constraint | not_null_violation",
      "42P01 | relation \"missing\" does not exist                               | undefined_table",
      "42703 | column \"nmae\" does not exist                                    | undefined_column",
      "42601 | syntax error at or near \"SELEC\"                                 | syntax_error",
      "22000 | different vector dimensions 3 and 64                             | dimension_mismatch",
      "22000 | expected 64 dimensions, not 3                                    | dimension_mismatch",
      "42704 | type \"vector\" does not exist                                    | missing_vector_extension",
      "42883 | operator does not exist: text <-> unknown                        | missing_vector_extension",
      "25006 | cannot execute INSERT in a read-only transaction                 | read_only_transaction",
      "08001 | Connection to 127.0.0.1:5432 refused                             | database_unreachable",
      "08006 | An I/O error occurred while sending to the backend               | database_unreachable",
      "23514 | new row violates check constraint \"positive\"                    | integrity_violation",
      "XX000 | something internal                                               | unknown"
  })
  void builtInRules(String state, String message, String type) {
    Classification c = classifier.classify(new SQLException(message, state), "query");
    assertEquals(type, c.errorType, message);
    assertEquals(state, c.sqlState);
    assertTrue(c.solution.length() > 20);
    assertTrue(type.equals("unknown") ? c.confidence < 0.5 : c.confidence >= 0.6);
  }

  @Test
  void aPoolTimeoutIsExhaustionUnlessTheDatabaseIsDown() {
    SQLException exhausted = new SQLTransientConnectionException("demo - Connection is not available,"
        + " request timed out after 2001ms (total=5, active=5, idle=0, waiting=7)");
    assertEquals("pool_exhausted", classifier.classify(exhausted, "connection_acquire").errorType);
    SQLException down = new SQLTransientConnectionException("demo - Connection is not available,"
        + " request timed out after 2001ms (total=0, active=0, idle=0, waiting=3)", "08001");
    assertEquals("database_unreachable", classifier.classify(down, "connection_acquire").errorType);
  }

  @Test
  void theSqlStateIsFoundInCausesAndChainedExceptions() {
    SQLException chained = new SQLException("batch failed");
    chained.setNextException(new SQLException("duplicate key", "23505"));
    assertEquals("unique_violation", classifier.classify(new RuntimeException("wrapped", chained),
        "query").errorType);
  }

  @Test
  void theFingerprintIgnoresLiteralValuesAndKeepsTheCause() {
    Classification first = classifier.classify(new SQLException("duplicate key value violates unique"
        + " constraint \"users_email_key\" Detail: Key (email)=(ann@example.com) already exists.",
        "23505"), "query");
    Classification second = classifier.classify(new SQLException("duplicate key value violates unique"
        + " constraint \"users_email_key\" Detail: Key (email)=(bob@example.com) already exists.",
        "23505"), "query");
    Classification otherConstraint = classifier.classify(new SQLException("duplicate key value"
        + " violates unique constraint \"orders_pkey\" Detail: Key (id)=(7) already exists.", "23505"),
        "query");
    Classification otherScene = classifier.classify(new SQLException("duplicate key value violates"
        + " unique constraint \"users_email_key\" Detail: Key (email)=(x@y.z) already exists.", "23505"),
        "vector_search");
    assertEquals(first.errorId, second.errorId);
    assertNotEquals(first.errorId, otherConstraint.errorId);
    assertNotEquals(first.errorId, otherScene.errorId);
    assertTrue(first.errorId.matches("err-[0-9a-f]{12}"), first.errorId);
    assertEquals(first.errorId, ErrorClassifier.fingerprint("query", "unique_violation", "23505",
        first.message), "a pure function of its inputs: the same in every run");
  }

  @Test
  void numbersWithUnitsAreRedactedButNamesKeepTheirDigits() {
    assertEquals("timed out after ?ms in table t1 of users_2 (?%)",
        Redactor.redact("timed out after 2001ms in table t1 of users_2 (42%)"));
  }

  @Test
  void messagesAreRedactedOfLiteralValues() {
    String redacted = Redactor.redact("invalid input syntax for type integer: 'abc' at position 42,"
        + " vector [0.1, 0.2, -3e-2] Key (email)=(ann@example.com) in \"users\"");
    assertEquals("invalid input syntax for type integer: '?' at position ?, vector [?] Key (email)=(?)"
        + " in \"users\"", redacted);
    assertFalse(redacted.contains("ann@example.com"));
  }
}
