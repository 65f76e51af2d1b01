package dev.pulse.agent.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import org.junit.jupiter.api.Test;

class OperationStatsTest {
  @Test
  void theErrorTypeIsTheSqlStateClassCutOnceForEveryFailureOfThatClass() {
    String first = OperationStats.errorType(new SQLSyntaxErrorException("no table", "42P01"));
    String again = OperationStats.errorType(new SQLException("no column", "42703"));
    assertEquals("42", first);
    assertSame(first, again);
    assertEquals("23", OperationStats.errorType(new SQLException("duplicate", "23505")));
  }

  @Test
  void aWrappedDriverFailureGivesItsStateAndAFailureWithoutOneGivesItsClass() {
    assertEquals("40", OperationStats.errorType(
        new IllegalStateException("wrapped", new SQLException("deadlock", "40P01"))));
    assertEquals("java.sql.SQLException", OperationStats.errorType(new SQLException("no state")));
    assertEquals("java.lang.IllegalStateException",
        OperationStats.errorType(new IllegalStateException("not a driver's")));
  }

  @Test
  void aStateOutsideTheStandardAlphabetIsCutAsItIs() {
    assertEquals("s1", OperationStats.errorType(new SQLException("odd driver", "s1000")));
    assertEquals("#!", OperationStats.errorType(new SQLException("odd driver", "#!")));
  }
}
