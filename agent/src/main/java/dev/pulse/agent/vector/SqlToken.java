package dev.pulse.agent.vector;

/** One token of a SQL text. Literals keep their position so they can be read or redacted later. */
public final class SqlToken {
  public enum Kind {
    WORD, QUOTED_NAME, STRING, NUMBER, PARAMETER, OPERATOR, OPEN, CLOSE, COMMA, DOT, SEMICOLON,
    CAST, OTHER
  }

  public final Kind kind;
  public final String text;
  public final int start;
  public final int end;

  SqlToken(Kind kind, String text, int start, int end) {
    this.kind = kind;
    this.text = text;
    this.start = start;
    this.end = end;
  }

  /** True for the unquoted word {@code keyword}, in any case. */
  public boolean is(String keyword) {
    return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
  }

  /** A name as PostgreSQL folds it: unquoted words lower-cased, quoted ones as written. */
  String name() {
    return kind == Kind.QUOTED_NAME ? text : text.toLowerCase(java.util.Locale.ROOT);
  }

  boolean isName() {
    return kind == Kind.WORD || kind == Kind.QUOTED_NAME;
  }

  @Override
  public String toString() {
    return kind + ":" + text;
  }
}
