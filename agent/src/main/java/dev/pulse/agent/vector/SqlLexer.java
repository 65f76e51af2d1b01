package dev.pulse.agent.vector;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits PostgreSQL SQL into tokens: enough of the language to find clauses, names, literals and
 * operators, and to skip what may hide them (comments, strings, dollar quotes). One pass, no
 * backtracking.
 */
public final class SqlLexer {
  private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`";

  private SqlLexer() {
  }

  public static List<SqlToken> tokens(String sql) {
    List<SqlToken> tokens = new ArrayList<>();
    int length = sql.length();
    int i = 0;
    while (i < length) {
      char c = sql.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
        while (i < length && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
        i = skipBlockComment(sql, i);
      } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < length && sql.charAt(i + 1) == '\'')) {
        int open = c == '\'' ? i : i + 1;
        i = skipString(sql, open, c != '\'');
        tokens.add(new SqlToken(SqlToken.Kind.STRING, sql.substring(open + 1, Math.max(open + 1, i - 1)), start, i));
      } else if (c == '"') {
        int close = sql.indexOf('"', i + 1);
        while (close > 0 && close + 1 < length && sql.charAt(close + 1) == '"') {
          close = sql.indexOf('"', close + 2);
        }
        i = close < 0 ? length : close + 1;
        tokens.add(new SqlToken(SqlToken.Kind.QUOTED_NAME,
            sql.substring(start + 1, Math.max(start + 1, i - 1)).replace("\"\"", "\""), start, i));
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int close = sql.indexOf(tag, i + tag.length());
        i = close < 0 ? length : close + tag.length();
        tokens.add(new SqlToken(SqlToken.Kind.STRING,
            sql.substring(start + tag.length(), Math.max(start + tag.length(), i - tag.length())), start, i));
      } else if (Character.isLetter(c) || c == '_') {
        while (i < length && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
            || sql.charAt(i) == '$')) {
          i++;
        }
        tokens.add(new SqlToken(SqlToken.Kind.WORD, sql.substring(start, i), start, i));
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < length && Character.isDigit(sql.charAt(i + 1)))) {
        i = skipNumber(sql, i);
        tokens.add(new SqlToken(SqlToken.Kind.NUMBER, sql.substring(start, i), start, i));
      } else if (c == '?') {
        i++;
        tokens.add(new SqlToken(SqlToken.Kind.PARAMETER, "?", start, i));
      } else if (c == ':' && i + 1 < length && sql.charAt(i + 1) == ':') {
        i += 2;
        tokens.add(new SqlToken(SqlToken.Kind.CAST, "::", start, i));
      } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
        while (i < length && OPERATOR_CHARS.indexOf(sql.charAt(i)) >= 0
            && !sql.startsWith("--", i) && !sql.startsWith("/*", i)) {
          i++;
        }
        tokens.add(new SqlToken(SqlToken.Kind.OPERATOR, sql.substring(start, i), start, i));
      } else {
        i++;
        tokens.add(new SqlToken(punctuation(c), String.valueOf(c), start, i));
      }
    }
    return tokens;
  }

  private static SqlToken.Kind punctuation(char c) {
    switch (c) {
      case '(':
        return SqlToken.Kind.OPEN;
      case ')':
        return SqlToken.Kind.CLOSE;
      case ',':
        return SqlToken.Kind.COMMA;
      case '.':
        return SqlToken.Kind.DOT;
      case ';':
        return SqlToken.Kind.SEMICOLON;
      default:
        return SqlToken.Kind.OTHER;
    }
  }

  private static int skipBlockComment(String sql, int i) {
    int depth = 0;
    int length = sql.length();
    while (i < length) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return length;
  }

  /** From the opening quote; returns the index after the closing one. */
  private static int skipString(String sql, int open, boolean backslashEscapes) {
    int i = open + 1;
    int length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == '\'') {
        if (i + 1 < length && sql.charAt(i + 1) == '\'') {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return length;
  }

  /** "$$" or "$tag$" starting at i, or null ("$1" is a positional parameter, not a quote). */
  private static String dollarTag(String sql, int i) {
    int j = i + 1;
    while (j < sql.length() && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_'
        || (j > i + 1 && Character.isDigit(sql.charAt(j))))) {
      j++;
    }
    return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
  }

  private static int skipNumber(String sql, int i) {
    int length = sql.length();
    while (i < length && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
      i++;
    }
    if (i < length && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < length && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
        j++;
      }
      if (j < length && Character.isDigit(sql.charAt(j))) {
        i = j;
        while (i < length && Character.isDigit(sql.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }
}
