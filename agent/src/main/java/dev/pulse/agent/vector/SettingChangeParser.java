package dev.pulse.agent.vector;

import java.util.List;
import java.util.Locale;

/** Reads the pgvector setting changes a session can make in SQL. */
final class SettingChangeParser {
  private SettingChangeParser() {
  }

  /** The change this statement makes to an hnsw.* or ivfflat.* setting, or null. */
  static SettingChange parse(String sql) {
    List<SqlToken> tokens = SqlLexer.tokens(sql);
    if (tokens.isEmpty()) {
      return null;
    }
    SqlToken first = tokens.get(0);
    if (first.is("set")) {
      return set(tokens);
    }
    if (first.is("reset")) {
      return reset(tokens);
    }
    if (first.is("select")) {
      return setConfig(tokens);
    }
    return null;
  }

  /** SET [SESSION | LOCAL] name { = | TO } { value | DEFAULT } */
  private static SettingChange set(List<SqlToken> tokens) {
    int at = 1;
    boolean local = false;
    if (at < tokens.size() && (tokens.get(at).is("local") || tokens.get(at).is("session"))) {
      local = tokens.get(at).is("local");
      at++;
    }
    int[] next = {at};
    String name = qualifiedName(tokens, next);
    at = next[0];
    if (!isPgvector(name) || at >= tokens.size()) {
      return null;
    }
    SqlToken assign = tokens.get(at);
    if (!assign.is("to") && !(assign.kind == SqlToken.Kind.OPERATOR && assign.text.equals("="))) {
      return null;
    }
    if (++at >= tokens.size()) {
      return null;
    }
    SqlToken value = tokens.get(at);
    if (value.is("default")) {
      return new SettingChange(name, null, -1, local);
    }
    if (value.kind == SqlToken.Kind.PARAMETER) {
      return new SettingChange(name, null, 1, local);
    }
    return new SettingChange(name, value.text.toLowerCase(Locale.ROOT), -1, local);
  }

  /** RESET name | RESET ALL */
  private static SettingChange reset(List<SqlToken> tokens) {
    if (tokens.size() > 1 && tokens.get(1).is("all")) {
      return new SettingChange(null, null, -1, false);
    }
    int[] next = {1};
    String name = qualifiedName(tokens, next);
    return isPgvector(name) ? new SettingChange(name, null, -1, false) : null;
  }

  /** SELECT set_config('name', 'value' | ?, is_local) */
  private static SettingChange setConfig(List<SqlToken> tokens) {
    int parameters = 0;
    for (int i = 0; i < tokens.size(); i++) {
      SqlToken token = tokens.get(i);
      if (token.kind == SqlToken.Kind.PARAMETER) {
        parameters++;
      }
      if (!token.is("set_config") || i + 6 >= tokens.size()
          || tokens.get(i + 1).kind != SqlToken.Kind.OPEN
          || tokens.get(i + 2).kind != SqlToken.Kind.STRING
          || tokens.get(i + 3).kind != SqlToken.Kind.COMMA
          || tokens.get(i + 5).kind != SqlToken.Kind.COMMA) {
        continue;
      }
      String name = tokens.get(i + 2).text.toLowerCase(Locale.ROOT);
      if (!isPgvector(name)) {
        return null;
      }
      SqlToken value = tokens.get(i + 4);
      boolean local = tokens.get(i + 6).is("true");
      if (value.kind == SqlToken.Kind.PARAMETER) {
        return new SettingChange(name, null, parameters + 1, local);
      }
      if (value.kind == SqlToken.Kind.STRING || value.kind == SqlToken.Kind.NUMBER) {
        return new SettingChange(name, value.text.toLowerCase(Locale.ROOT), -1, local);
      }
      return null;
    }
    return null;
  }

  private static String qualifiedName(List<SqlToken> tokens, int[] at) {
    StringBuilder name = new StringBuilder();
    while (at[0] < tokens.size() && tokens.get(at[0]).isName()) {
      name.append(tokens.get(at[0]).name());
      at[0]++;
      if (at[0] < tokens.size() && tokens.get(at[0]).kind == SqlToken.Kind.DOT) {
        name.append('.');
        at[0]++;
      } else {
        break;
      }
    }
    return name.toString();
  }

  private static boolean isPgvector(String name) {
    return name.startsWith("hnsw.") || name.startsWith("ivfflat.");
  }
}
