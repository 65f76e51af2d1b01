package dev.pulse.agent.vector;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells, per SQL text, whether it is a pgvector search (and how), or a change of a pgvector
 * setting. Each distinct text is analysed once and the verdict cached, so a statement that is
 * neither costs one map lookup. Bounded: texts over 10 KiB (vector literals inlined by some
 * libraries) are analysed each time and never cached, and past 1,000 entries nothing new is cached.
 */
public final class VectorSearchDetector {
  static final int MAX_CACHED_SQL_LENGTH = 10 * 1024;
  static final int MAX_ENTRIES = 1000;

  private static final Object NEITHER = new Object();

  private final Map<String, Object> verdicts = new ConcurrentHashMap<>();

  /** A {@link VectorQuery}, a {@link SettingChange}, or null when the SQL is neither. */
  public Object classify(String sql) {
    Object verdict = verdict(sql);
    return verdict == NEITHER ? null : verdict;
  }

  /** The search this SQL performs, or null. */
  public VectorQuery search(String sql) {
    Object verdict = verdict(sql);
    return verdict instanceof VectorQuery ? (VectorQuery) verdict : null;
  }

  /** The pgvector setting this SQL changes, or null. */
  public SettingChange settingChange(String sql) {
    Object verdict = verdict(sql);
    return verdict instanceof SettingChange ? (SettingChange) verdict : null;
  }

  private Object verdict(String sql) {
    if (sql == null) {
      return NEITHER;
    }
    Object cached = verdicts.get(sql);
    if (cached != null) {
      return cached;
    }
    Object verdict = analyse(sql);
    if (sql.length() <= MAX_CACHED_SQL_LENGTH && verdicts.size() < MAX_ENTRIES) {
      verdicts.put(sql, verdict);
    }
    return verdict;
  }

  private static Object analyse(String sql) {
    if (mentionsDistance(sql)) {
      VectorQuery query = VectorQueryParser.parse(sql);
      if (query != null) {
        return query;
      }
    }
    if (sql.contains("hnsw.") || sql.contains("ivfflat.") || startsWithReset(sql)) {
      SettingChange change = SettingChangeParser.parse(sql);
      if (change != null) {
        return change;
      }
    }
    return NEITHER;
  }

  /** A cheap first look: no distance operator, no search. */
  static boolean mentionsDistance(String sql) {
    for (int i = sql.indexOf('<'); i >= 0 && i + 2 < sql.length(); i = sql.indexOf('<', i + 1)) {
      char middle = sql.charAt(i + 1);
      if (sql.charAt(i + 2) == '>' && (middle == '-' || middle == '=' || middle == '#'
          || middle == '+' || middle == '~' || middle == '%')) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithReset(String sql) {
    String trimmed = sql.trim();
    return trimmed.regionMatches(true, 0, "reset", 0, 5);
  }
}
