package dev.pulse.agent.firewall;

import java.util.regex.Pattern;

/**
 * One classification rule: what a failure looks like (SQLState, exactly or by class; a message
 * pattern; an exception class), and what it is (type, solution, confidence). Empty criteria match
 * anything; a rule needs at least one.
 */
public final class Rule {
  final String id;
  final String sqlState;
  final String sqlStateClass;
  final Pattern message;
  final String exception;
  final String errorType;
  final String solution;
  final double confidence;

  Rule(String id, String sqlState, String sqlStateClass, Pattern message, String exception,
      String errorType, String solution, double confidence) {
    this.id = id;
    this.sqlState = sqlState;
    this.sqlStateClass = sqlStateClass;
    this.message = message;
    this.exception = exception;
    this.errorType = errorType;
    this.solution = solution;
    this.confidence = confidence;
  }

  boolean matches(String state, String text, String exceptionClass) {
    if (sqlState != null && !sqlState.equalsIgnoreCase(state)) {
      return false;
    }
    if (sqlStateClass != null && (state == null || !state.startsWith(sqlStateClass))) {
      return false;
    }
    if (message != null && (text == null || !message.matcher(text).find())) {
      return false;
    }
    return exception == null || exception.equals(exceptionClass);
  }

  /** More specific rules win: an exact SQLState over a class, a message pattern over none. */
  int specificity() {
    return (sqlState != null ? 4 : 0) + (sqlStateClass != null ? 2 : 0) + (message != null ? 2 : 0)
        + (exception != null ? 1 : 0);
  }
}
