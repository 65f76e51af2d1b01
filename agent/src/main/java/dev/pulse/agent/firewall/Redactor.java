package dev.pulse.agent.firewall;

import java.util.regex.Pattern;

/**
 * Takes literal values out of a driver's message, so that no bound parameter or SQL literal leaves
 * the process and so that the same failure with other values reads the same (the fingerprint is
 * made from the redacted text). Names in double quotes (tables, columns, constraints) stay: they
 * say where, not what.
 */
final class Redactor {
  private static final Pattern SINGLE_QUOTED = Pattern.compile("'(?:[^']|'')*'");
  /** PostgreSQL's detail "Key (email)=(a@b.c) already exists": the value in the second parens. */
  private static final Pattern KEY_VALUE = Pattern.compile("(\\([^()]*\\))=\\((?:[^()]|\\([^()]*\\))*\\)");
  private static final Pattern VECTOR = Pattern.compile("\\[[-+0-9.eE, ]*\\]");
  /** A number standing alone, or with a unit (500ms, 12%): names such as "t1" or users_2 stay. */
  private static final Pattern NUMBER = Pattern.compile(
      "(?<![\\w.\"])[-+]?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?(?=(?:ms|us|ns|s|%)?(?![\\w\"]))");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final int MAX_LENGTH = 500;

  private Redactor() {
  }

  static String redact(String message) {
    if (message == null) {
      return null;
    }
    String text = KEY_VALUE.matcher(message).replaceAll("$1=(?)");
    text = SINGLE_QUOTED.matcher(text).replaceAll("'?'");
    text = VECTOR.matcher(text).replaceAll("[?]");
    text = NUMBER.matcher(text).replaceAll("?");
    text = WHITESPACE.matcher(text).replaceAll(" ").trim();
    return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "..." : text;
  }
}
