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
  private final ErrorClassifier classifier = new ErrorClassifier(List.of(), true);

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

  /** The messages as each pool words them (Tomcat's and Vibur's from real runs). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "| [main] Timeout: Pool empty. Unable to fetch a connection in 1 seconds, none available[size:1; busy:1; idle:0; lastwait:1000].",
      "VI002 | Pool vibur-pool@6d06d69c(1/1/0/w/n), couldn't obtain SQL connection within 1000 ms.",
      "| Cannot get a connection, pool error Timeout waiting for idle object, borrowMaxWaitDuration=PT1S",
      "| An attempt by a client to checkout a Connection has timed out.",
      "| Acquisition timeout while waiting for new connection"
  })
  void otherPoolsTimeoutsAreExhaustion(String state, String message) {
    Classification c = classifier.classify(new SQLException(message, state), "connection_acquire");
    assertEquals("pool_exhausted", c.errorType, message);
    assertTrue(c.solution.contains("leak.threshold"), c.solution);
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
        + " vector [0.1, 0.2, -3e-2] Key (email)=(ann@example.com) of relation \"users\"");
    assertEquals("invalid input syntax for type integer: '?' at position ?, vector [?] Key (email)=(?)"
        + " of relation \"users\"", redacted);
    assertFalse(redacted.contains("ann@example.com"));
  }

  /** Messages PostgreSQL 15, pgvector and pgjdbc really wrote for failures carrying a value. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
      ERROR: new row for relation "pulse_it_secrets" violates check constraint "pulse_it_secrets_age_check"{nl}  Detail: Failing row contains (s3cr3t-check, -1, n).|ERROR: new row for relation "pulse_it_secrets" violates check constraint "pulse_it_secrets_age_check" Detail: Failing row contains (?).
      ERROR: null value in column "note" of relation "pulse_it_secrets" violates not-null constraint{nl}  Detail: Failing row contains (s3cr3t-null, 1, null).|ERROR: null value in column "note" of relation "pulse_it_secrets" violates not-null constraint Detail: Failing row contains (?).
      ERROR: invalid input syntax for type date: "s3cr3t"{nl}  Position: 8|ERROR: invalid input syntax for type date: "?" Position: ?
      ERROR: invalid input syntax for type json{nl}  Detail: Token "s3cr3t" is invalid.{nl}  Position: 8{nl}  Where: JSON data, line 1: s3cr3t...|ERROR: invalid input syntax for type json Detail: Token "?" is invalid. Position: ? Where: JSON data, line ?: ?
      ERROR: invalid input syntax for type vector: "s3cr3t"{nl}  Detail: Vector contents must start with "[".|ERROR: invalid input syntax for type vector: "?" Detail: Vector contents must start with "?".
      ERROR: invalid input value for enum pulse_it_mood: "s3cr3t"|ERROR: invalid input value for enum pulse_it_mood: "?"
      ERROR: syntax error at or near "'s3cr3t'"|ERROR: syntax error at or near "?"
      ERROR: syntax error at or near "frm"|ERROR: syntax error at or near "frm"
      ERROR: duplicate key value violates unique constraint "pulse_it_secrets_pkey"{nl}  Detail: Key (email)=(s3cr3t) already exists.|ERROR: duplicate key value violates unique constraint "pulse_it_secrets_pkey" Detail: Key (email)=(?) already exists.
      ERROR: invalid input syntax for type uuid: "s3cr3t"|ERROR: invalid input syntax for type uuid: "?"
      Bad value for type int : s3cr3t|Bad value for type int : ?
      ERROR: column "nmae" does not exist|ERROR: column "nmae" does not exist
      """)
  void valuesInRealMessagesAreRedactedAndNamesStay(String message, String expected) {
    String redacted = Redactor.redact(message.replace("{nl}", "\n"));
    assertEquals(expected, redacted);
    assertFalse(redacted.contains("s3cr3t"), redacted);
  }

  @Test
  void withRedactionOffTheMessageIsPublishedAsItIsAndTheFingerprintStaysTheSame() {
    java.sql.SQLException failure = new java.sql.SQLException(
        "ERROR: invalid input syntax for type date: \"s3cr3t\"", "22007");
    Classification redacted = classifier.classify(failure, "query");
    Classification plain = new ErrorClassifier(List.of(), false).classify(failure, "query");
    assertEquals("ERROR: invalid input syntax for type date: \"s3cr3t\"", plain.message);
    assertFalse(redacted.message.contains("s3cr3t"));
    assertEquals(redacted.errorId, plain.errorId);
  }
}
