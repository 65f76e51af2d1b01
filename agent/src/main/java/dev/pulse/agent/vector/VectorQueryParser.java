package dev.pulse.agent.vector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recognizes a pgvector similarity search in SQL: a query that orders by a pgvector distance
 * operator (directly, or through a select-list alias such as Spring AI's {@code AS distance}) and
 * limits to k rows ({@code LIMIT k}, {@code LIMIT ?}, {@code FETCH FIRST k ROWS ONLY}). Works at
 * any nesting level (CTEs, subqueries); the innermost query that qualifies is the search.
 */
final class VectorQueryParser {
  private static final int MAX_DEPTH = 64;

  private VectorQueryParser() {
  }

  /** The search this SQL performs, or null when it is no vector search. */
  static VectorQuery parse(String sql) {
    return new Walk(SqlLexer.tokens(sql)).run();
  }

  /** One SELECT being read, at one parenthesis depth. */
  private static final class Frame {
    /** The CTE this query defines (WITH name AS (...)), or null. */
    String cteName;
    String table;
    boolean inSelectList = true;
    Distance itemDistance;
    final Map<String, Distance> aliases = new HashMap<>();
    int orderStart = -1;
    int orderEnd = -1;
    Distance orderDistance;
    int vectorParameter = -1;
    int literalK = -1;
    int kParameter = -1;

    boolean limited() {
      return literalK >= 0 || kParameter > 0;
    }
  }

  private static final class Walk {
    private final List<SqlToken> tokens;
    private final Frame[] frames = new Frame[MAX_DEPTH];
    private final int totalParameters;
    /** Aliases of closed subqueries and CTEs: an outer query may order by them (ORDER BY score). */
    private final Map<String, Distance> innerAliases = new HashMap<>();
    /** The table each CTE reads, so a query on the CTE reports the real collection. */
    private final Map<String, String> cteTables = new HashMap<>();
    private String pendingCte;
    private int parameters;
    private int depth;
    private VectorQuery found;

    Walk(List<SqlToken> tokens) {
      this.tokens = tokens;
      int count = 0;
      for (SqlToken token : tokens) {
        if (token.kind == SqlToken.Kind.PARAMETER) {
          count++;
        }
      }
      this.totalParameters = count;
    }

    VectorQuery run() {
      for (int i = 0; i < tokens.size() && found == null; i++) {
        SqlToken token = tokens.get(i);
        switch (token.kind) {
          case OPEN:
            if (++depth >= MAX_DEPTH) {
              return null;
            }
            break;
          case QUOTED_NAME:
            notePossibleCte(i);
            break;
          case CLOSE:
            endOrder(i);
            close(depth);
            depth = Math.max(0, depth - 1);
            break;
          case PARAMETER:
            parameters++;
            break;
          case OPERATOR:
            onOperator(token, i);
            break;
          case COMMA:
            if (frames[depth] != null && frames[depth].inSelectList) {
              frames[depth].itemDistance = null;
            }
            break;
          case SEMICOLON:
            endOrder(i);
            close(0);
            break;
          case WORD:
            i = onWord(token, i);
            break;
          default:
            break;
        }
      }
      if (found == null) {
        endOrder(tokens.size());
        close(0);
      }
      return found;
    }

    private int onWord(SqlToken word, int i) {
      if (word.is("select")) {
        frames[depth] = new Frame();
        frames[depth].cteName = pendingCte;
        pendingCte = null;
        return i;
      }
      notePossibleCte(i);
      Frame frame = frames[depth];
      if (frame == null) {
        return i;
      }
      if (word.is("from") && frame.inSelectList) {
        frame.inSelectList = false;
        return readTable(frame, i + 1) - 1;
      }
      if (word.is("as") && frame.inSelectList && i + 1 < tokens.size() && tokens.get(i + 1).isName()) {
        if (frame.itemDistance != null) {
          frame.aliases.put(tokens.get(i + 1).name(), frame.itemDistance);
        }
        return i + 1;
      }
      if (word.is("order") && i + 1 < tokens.size() && tokens.get(i + 1).is("by")) {
        frame.orderStart = i + 2;
        frame.orderEnd = -1;
        frame.orderDistance = null;
        frame.vectorParameter = -1;
        return i + 1;
      }
      if (word.is("limit") || word.is("fetch") || word.is("offset")) {
        endOrder(i);
        if (frame.orderStart >= 0 && word.is("limit")) {
          readK(frame, i + 1);
        } else if (frame.orderStart >= 0 && word.is("fetch")) {
          int at = i + 1;
          if (at < tokens.size() && (tokens.get(at).is("first") || tokens.get(at).is("next"))) {
            at++;
          }
          if (at < tokens.size() && (tokens.get(at).is("row") || tokens.get(at).is("rows"))) {
            frame.literalK = 1;
          } else {
            readK(frame, at);
          }
        }
      }
      return i;
    }

    /** "name AS (" starts a CTE: the SELECT inside it defines that name. */
    private void notePossibleCte(int i) {
      if (i + 2 < tokens.size() && tokens.get(i).isName() && tokens.get(i + 1).is("as")
          && tokens.get(i + 2).kind == SqlToken.Kind.OPEN) {
        pendingCte = tokens.get(i).name();
      }
    }

    private void onOperator(SqlToken token, int i) {
      Distance distance = Distance.ofOperator(token.text);
      Frame frame = innermostFrame();
      if (distance == null || frame == null) {
        return;
      }
      if (frame.inSelectList) {
        frame.itemDistance = distance;
      } else if (frame.orderStart >= 0 && frame.orderEnd < 0 && frame.orderDistance == null) {
        frame.orderDistance = distance;
        frame.vectorParameter = operandParameter(i + 1);
      }
    }

    /** The parameter right after an operator: ?, ?::vector, cast(? as vector), (?). */
    private int operandParameter(int at) {
      for (int j = at; j < tokens.size() && j < at + 4; j++) {
        SqlToken token = tokens.get(j);
        if (token.kind == SqlToken.Kind.PARAMETER) {
          return parameters + 1;
        }
        if (token.kind != SqlToken.Kind.OPEN && !token.is("cast")) {
          return -1;
        }
      }
      return -1;
    }

    private Frame innermostFrame() {
      for (int d = depth; d >= 0; d--) {
        if (frames[d] != null) {
          return frames[d];
        }
      }
      return null;
    }

    private void endOrder(int at) {
      Frame frame = frames[depth];
      if (frame != null && frame.orderStart >= 0 && frame.orderEnd < 0) {
        frame.orderEnd = at;
      }
    }

    private void readK(Frame frame, int at) {
      if (at >= tokens.size()) {
        return;
      }
      SqlToken k = tokens.get(at);
      if (k.kind == SqlToken.Kind.NUMBER) {
        try {
          frame.literalK = Integer.parseInt(k.text);
        } catch (NumberFormatException e) {
          frame.literalK = -1;
        }
      } else if (k.kind == SqlToken.Kind.PARAMETER) {
        frame.kParameter = parameters + 1;
      }
    }

    /** FROM [ONLY] name[.name...]: the last part is the table; a subquery has none. */
    private int readTable(Frame frame, int at) {
      if (at < tokens.size() && tokens.get(at).is("only")) {
        at++;
      }
      String table = null;
      while (at < tokens.size() && tokens.get(at).isName()) {
        table = tokens.get(at).name();
        if (at + 1 < tokens.size() && tokens.get(at + 1).kind == SqlToken.Kind.DOT) {
          at += 2;
        } else {
          at++;
          break;
        }
      }
      frame.table = table != null && cteTables.containsKey(table) ? cteTables.get(table) : table;
      return at;
    }

    /** ORDER BY name or ORDER BY t.name (with ASC/DESC/NULLS ...): the alias it names, or null. */
    private String orderedName(Frame frame) {
      int end = frame.orderEnd < 0 ? tokens.size() : frame.orderEnd;
      while (end > frame.orderStart && isOrderingWord(tokens.get(end - 1))) {
        end--;
      }
      int length = end - frame.orderStart;
      if (length == 1 && tokens.get(frame.orderStart).isName()) {
        return tokens.get(frame.orderStart).name();
      }
      if (length == 3 && tokens.get(frame.orderStart + 1).kind == SqlToken.Kind.DOT
          && tokens.get(end - 1).isName()) {
        return tokens.get(end - 1).name();
      }
      return null;
    }

    private static boolean isOrderingWord(SqlToken token) {
      return token.is("asc") || token.is("desc") || token.is("nulls") || token.is("first")
          || token.is("last");
    }

    /** Ends every query at or below this depth; the first that qualifies is the search. */
    private void close(int atOrBelow) {
      for (int d = MAX_DEPTH - 1; d >= atOrBelow && found == null; d--) {
        Frame frame = frames[d];
        frames[d] = null;
        if (frame != null) {
          innerAliases.putAll(frame.aliases);
          if (frame.cteName != null && frame.table != null) {
            cteTables.put(frame.cteName, frame.table);
          }
        }
        if (frame == null || frame.orderStart < 0 || !frame.limited()) {
          continue;
        }
        Distance distance = frame.orderDistance;
        if (distance == null) {
          String name = orderedName(frame);
          distance = name == null ? null : frame.aliases.getOrDefault(name, innerAliases.get(name));
        }
        if (distance != null) {
          found = new VectorQuery(frame.table, distance, frame.literalK, frame.kParameter,
              frame.vectorParameter, totalParameters);
        }
      }
    }
  }
}
