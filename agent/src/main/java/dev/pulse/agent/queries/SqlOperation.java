package dev.pulse.agent.queries;

import dev.pulse.agent.vector.SqlLexer;
import dev.pulse.agent.vector.SqlToken;
import dev.pulse.agent.vector.SqlToken.Kind;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What the OpenTelemetry database conventions call a statement's operation ({@code SELECT},
 * {@code INSERT}, ...) and its collection (the one table it reads or writes), read from its text.
 * The collection is given only when the statement names exactly one table: a join, a sub-select
 * of another table or a union has none, as the conventions ask for query languages that can name
 * several. Names are kept as written (a schema included), the operation in upper case. Run on the
 * agent's thread, once per shape.
 */
final class SqlOperation {
  /** The operations named; any other first word gives no operation (bounded, never free text). */
  private static final Set<String> OPERATIONS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE",
      "MERGE", "UPSERT", "REPLACE", "CREATE", "DROP", "ALTER", "TRUNCATE", "CALL", "EXPLAIN",
      "SHOW", "SET", "BEGIN", "COMMIT", "ROLLBACK", "COPY", "VALUES", "GRANT", "REVOKE", "VACUUM",
      "ANALYZE", "LOCK", "DO", "EXECUTE", "REFRESH");
  /** Words after which a table's name comes. */
  private static final Set<String> TABLE_BEFORE = Set.of("FROM", "JOIN", "INTO", "TABLE");

  final String operation;
  final String collection;

  private SqlOperation(String operation, String collection) {
    this.operation = operation;
    this.collection = collection;
  }

  /**
   * Several statements (a plain batch's texts joined, or one text that holds several) have an
   * operation and a collection only where all of them have the same.
   */
  static SqlOperation of(String sql) {
    List<SqlToken> tokens = SqlLexer.tokens(sql);
    SqlOperation found = null;
    int from = 0;
    for (int i = 0; i <= tokens.size(); i++) {
      if (i < tokens.size() && tokens.get(i).kind != Kind.SEMICOLON) {
        continue;
      }
      if (i > from) {
        SqlOperation each = ofOne(tokens.subList(from, i));
        found = found == null ? each : new SqlOperation(
            Objects.equals(found.operation, each.operation) ? found.operation : null,
            Objects.equals(found.collection, each.collection) ? found.collection : null);
      }
      from = i + 1;
    }
    return found != null ? found : new SqlOperation(null, null);
  }

  private static SqlOperation ofOne(List<SqlToken> tokens) {
    int first = 0;
    while (first < tokens.size() && tokens.get(first).kind == Kind.OPEN) {
      first++;
    }
    if (first >= tokens.size() || tokens.get(first).kind != Kind.WORD) {
      return new SqlOperation(null, null);
    }
    String operation = tokens.get(first).text.toUpperCase(Locale.ROOT);
    if (operation.equals("WITH")) {
      return new SqlOperation(mainAfterWith(tokens, first + 1), null); // the CTEs read tables too
    }
    if (!OPERATIONS.contains(operation)) {
      return new SqlOperation(null, null);
    }
    return new SqlOperation(operation, onlyTable(tokens, first));
  }

  /** The statement a WITH leads to: its first word outside parentheses past the CTEs. */
  private static String mainAfterWith(List<SqlToken> tokens, int from) {
    int depth = 0;
    for (int i = from; i < tokens.size(); i++) {
      SqlToken token = tokens.get(i);
      if (token.kind == Kind.OPEN) {
        depth++;
      } else if (token.kind == Kind.CLOSE) {
        depth--;
      } else if (depth == 0 && token.kind == Kind.WORD) {
        String word = token.text.toUpperCase(Locale.ROOT);
        if (word.equals("SELECT") || word.equals("INSERT") || word.equals("UPDATE")
            || word.equals("DELETE") || word.equals("MERGE")) {
          return word;
        }
      }
    }
    return null;
  }

  /** The one table the statement names, or null when it names none or several. */
  private static String onlyTable(List<SqlToken> tokens, int operation) {
    String found = null;
    for (int i = operation; i < tokens.size(); i++) {
      SqlToken token = tokens.get(i);
      // UPDATE and TRUNCATE name their table only as the statement's operation (not FOR UPDATE)
      boolean leads = i == operation && (token.is("update") || token.is("truncate"));
      if (token.kind != Kind.WORD
          || !leads && !TABLE_BEFORE.contains(token.text.toUpperCase(Locale.ROOT))) {
        continue;
      }
      int name = skipModifiers(tokens, i + 1);
      if (name >= tokens.size() || !isName(tokens.get(name)) || isClause(tokens.get(name))) {
        if (name < tokens.size() && tokens.get(name).kind == Kind.OPEN
            && !token.is("INTO") && !token.is("TABLE")) {
          return null; // FROM (SELECT ...): a derived table
        }
        continue;
      }
      StringBuilder qualified = new StringBuilder(tokens.get(name).text);
      int end = name + 1;
      while (end + 1 < tokens.size() && tokens.get(end).kind == Kind.DOT
          && isName(tokens.get(end + 1))) {
        qualified.append('.').append(tokens.get(end + 1).text);
        end += 2;
      }
      if (end < tokens.size() && tokens.get(end).kind == Kind.OPEN && !token.is("INTO")
          && !token.is("TABLE")) {
        return null; // FROM some_function(...): no table
      }
      if (found != null) {
        return null;
      }
      i = end - 1;
      found = qualified.toString();
      if (token.is("FROM") && listsAnother(tokens, end)) {
        return null; // FROM a, b
      }
    }
    return found;
  }

  /** IF [NOT] EXISTS, ONLY, TABLE (of TRUNCATE TABLE): words between a clause and its table. */
  private static int skipModifiers(List<SqlToken> tokens, int i) {
    while (i < tokens.size() && (tokens.get(i).is("if") || tokens.get(i).is("not")
        || tokens.get(i).is("exists") || tokens.get(i).is("only") || tokens.get(i).is("table"))) {
      i++;
    }
    return i;
  }

  /** A comma right after the table or its alias: a second table in the same FROM. */
  private static boolean listsAnother(List<SqlToken> tokens, int i) {
    if (i < tokens.size() && tokens.get(i).is("as")) {
      i++;
    }
    if (i < tokens.size() && isName(tokens.get(i)) && !isClause(tokens.get(i))) {
      i++; // an alias
    }
    return i < tokens.size() && tokens.get(i).kind == Kind.COMMA;
  }

  private static boolean isClause(SqlToken token) {
    return token.is("where") || token.is("join") || token.is("inner") || token.is("left")
        || token.is("right") || token.is("full") || token.is("cross") || token.is("natural")
        || token.is("group") || token.is("order") || token.is("limit") || token.is("offset")
        || token.is("fetch") || token.is("for") || token.is("union") || token.is("having")
        || token.is("window") || token.is("returning") || token.is("set") || token.is("using")
        || token.is("values") || token.is("on") || token.is("select") || token.is("default");
  }

  private static boolean isName(SqlToken token) {
    return token.kind == Kind.WORD || token.kind == Kind.QUOTED_NAME;
  }
}
