package dev.pulse.agent.queries;

import dev.pulse.agent.vector.SqlLexer;
import dev.pulse.agent.vector.SqlToken;
import dev.pulse.agent.vector.SqlToken.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A statement's shape, as PostgreSQL's pg_stat_statements groups statements: every literal
 * (numbers, strings, vector literals, which are strings) becomes {@code ?}, a list of values after
 * IN becomes one {@code (?)}, comments go and whitespace is one space. Nothing the application
 * sent as a value survives, so a shape may leave the process.
 */
final class SqlShape {
  /** Longest shape kept; a longer one is cut (and stays one shape per distinct start). */
  static final int MAX_LENGTH = 2000;

  private SqlShape() {
  }

  static String normalize(String sql) {
    List<SqlToken> tokens = SqlLexer.tokens(sql);
    StringBuilder out = new StringBuilder(Math.min(sql.length(), MAX_LENGTH));
    SqlToken previous = null;
    boolean signed = false;
    for (int i = 0; i < tokens.size() && out.length() < MAX_LENGTH; i++) {
      SqlToken token = tokens.get(i);
      if (previous != null && previous.end < token.start && !signed) {
        out.append(' ');
      }
      signed = false;
      if (token.is("in") && i + 1 < tokens.size() && tokens.get(i + 1).kind == Kind.OPEN) {
        int close = valueListEnd(tokens, i + 2);
        if (close > 0) {
          out.append(token.text).append(tokens.get(i + 1).start > token.end ? " (?)" : "(?)");
          previous = tokens.get(close);
          i = close;
          continue;
        }
      }
      if (isSign(token, previous, i + 1 < tokens.size() ? tokens.get(i + 1) : null)) {
        signed = true;
        continue; // -1 is one value, as 1 is: the next token writes it
      }
      out.append(isValue(token) ? "?" : token.kind == Kind.QUOTED_NAME
          ? sql.substring(token.start, token.end) : token.text);
      previous = token;
    }
    if (out.length() >= MAX_LENGTH) {
      out.setLength(MAX_LENGTH);
      out.append("...");
    }
    return out.toString();
  }

  /** A unary minus or plus right before a number, where no operand precedes it. */
  private static boolean isSign(SqlToken token, SqlToken previous, SqlToken next) {
    return token.kind == Kind.OPERATOR && (token.text.equals("-") || token.text.equals("+"))
        && next != null && next.kind == Kind.NUMBER && next.start == token.end
        && (previous == null || previous.kind == Kind.OPERATOR || previous.kind == Kind.OPEN
        || previous.kind == Kind.COMMA);
  }

  private static boolean isValue(SqlToken token) {
    return token.kind == Kind.NUMBER || token.kind == Kind.STRING || token.kind == Kind.PARAMETER;
  }

  /** The index of the ")" closing a list of values and parameters starting at {@code from}, or -1. */
  private static int valueListEnd(List<SqlToken> tokens, int from) {
    boolean value = false;
    for (int i = from; i < tokens.size(); i++) {
      SqlToken token = tokens.get(i);
      if (isValue(token) && !value) {
        value = true;
      } else if (token.kind == Kind.COMMA && value) {
        value = false;
      } else if (token.kind == Kind.CAST && value && i + 1 < tokens.size()
          && tokens.get(i + 1).kind == Kind.WORD) {
        i++; // 1::int: still a value
      } else {
        return token.kind == Kind.CLOSE && value ? i : -1;
      }
    }
    return -1;
  }

  /** A stable id of the shape: the same text gives the same id in every run and process. */
  static String id(String shape) {
    long hash = 0xcbf29ce484222325L; // FNV-1a, 64 bits
    for (byte b : shape.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return String.format("%016x", hash);
  }
}
