package dev.pulse.agent.firewall;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes literal values out of a driver's message, so that no bound parameter or SQL literal leaves
 * the process and so that the same failure with other values reads the same (the fingerprint is
 * made from the redacted text). Names in double quotes stay when a word such as relation, column
 * or constraint introduces them: they say where, not what. Any other double-quoted text is a value
 * (PostgreSQL writes {@code invalid input syntax for type date: "..."}, {@code Token "..." is
 * invalid}) and goes.
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
  /** PostgreSQL's detail of check and not-null violations shows the whole row. */
  private static final Pattern FAILING_ROW = Pattern.compile("(Failing row contains )\\(.*?\\)(?=\\.?\\s*(?:$|\\n|Where:|Hint:|Position:|Call getNextException))", Pattern.DOTALL);
  /** The json parser's context line quotes the document: "JSON data, line 1: {...". */
  private static final Pattern JSON_CONTEXT = Pattern.compile("(JSON data, line \\d+: ).*");
  /** pgjdbc's client-side conversion failure: "Bad value for type int : abc". */
  private static final Pattern BAD_VALUE = Pattern.compile("(Bad value for type [\\w ]+ : ).*");
  private static final Pattern DOUBLE_QUOTED = Pattern.compile("\"(?:[^\"]|\"\")*\"");
  private static final Pattern WORD_BEFORE = Pattern.compile("([A-Za-z_]+)\\s*$");
  private static final Pattern IDENTIFIER = Pattern.compile("\"[A-Za-z_][A-Za-z0-9_$]*\"");
  /** Words after which PostgreSQL quotes a name, not a value. */
  private static final Set<String> NAMING_WORDS = new HashSet<>(Arrays.asList("relation", "table",
      "column", "constraint", "index", "schema", "type", "function", "operator", "sequence",
      "database", "role", "user", "extension", "view", "trigger", "domain", "collation",
      "savepoint", "cursor", "statement", "portal", "tablespace", "server", "publication",
      "subscription", "policy", "rule", "aggregate", "procedure", "routine", "parameter", "class",
      "method", "family", "mapping", "object", "channel", "slot", "of"));
  private static final int MAX_LENGTH = 500;

  private Redactor() {
  }

  static String redact(String message) {
    if (message == null) {
      return null;
    }
    String text = KEY_VALUE.matcher(message).replaceAll("$1=(?)");
    text = FAILING_ROW.matcher(text).replaceAll("$1(?)");
    text = JSON_CONTEXT.matcher(text).replaceAll("$1?");
    text = BAD_VALUE.matcher(text).replaceAll("$1?");
    text = quotedValues(text);
    text = SINGLE_QUOTED.matcher(text).replaceAll("'?'");
    text = VECTOR.matcher(text).replaceAll("[?]");
    text = NUMBER.matcher(text).replaceAll("?");
    return trim(text);
  }

  /**
   * Double-quoted text after a naming word is a name and stays; after "near" (a syntax error's
   * token) a bare word is a keyword or a name and stays; anything else is a value.
   */
  private static String quotedValues(String text) {
    Matcher quoted = DOUBLE_QUOTED.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    while (quoted.find()) {
      String before = text.substring(last, quoted.start());
      out.append(before);
      Matcher word = WORD_BEFORE.matcher(text.substring(Math.max(0, quoted.start() - 40), quoted.start()));
      String previous = word.find() ? word.group(1).toLowerCase(java.util.Locale.ROOT) : "";
      boolean name = NAMING_WORDS.contains(previous)
          || (previous.equals("near") && IDENTIFIER.matcher(quoted.group()).matches());
      out.append(name ? quoted.group() : "\"?\"");
      last = quoted.end();
    }
    return out.append(text, last, text.length()).toString();
  }

  /** One line of at most {@value #MAX_LENGTH} characters. */
  static String trim(String message) {
    if (message == null) {
      return null;
    }
    String text = WHITESPACE.matcher(message).replaceAll(" ").trim();
    return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "..." : text;
  }
}
