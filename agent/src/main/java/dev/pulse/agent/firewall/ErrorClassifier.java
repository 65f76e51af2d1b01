package dev.pulse.agent.firewall;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classifies a data-layer failure by its SQLState and message into a type with a solution and a
 * confidence, using the user's rules first and the built-in ones after (the most specific match
 * wins). The fingerprint is a digest of where it happened, its type, its SQLState and its redacted
 * message: the same cause gives the same id, in every run, whatever the literal values.
 */
public final class ErrorClassifier {
  private static final double UNKNOWN_CONFIDENCE = 0.3;
  /** A storm repeats one failure: its classification is remembered, not recomputed. */
  private static final int REMEMBERED = 256;
  private static final int LONGEST_REMEMBERED_MESSAGE = 2048;
  private final List<Rule> userRules;
  private final boolean redact;
  private final Map<String, Classification> recent =
      new LinkedHashMap<String, Classification>(REMEMBERED * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Classification> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** {@code redact} false publishes messages as they are; fingerprints are redacted anyway. */
  public ErrorClassifier(List<Rule> userRules, boolean redact) {
    this.userRules = Collections.unmodifiableList(new ArrayList<>(userRules));
    this.redact = redact;
  }

  public synchronized Classification classify(Throwable failure, String scene) {
    String state = sqlState(failure);
    String text = failure.getMessage();
    String exception = failure.getClass().getName();
    String key = text == null || text.length() <= LONGEST_REMEMBERED_MESSAGE
        ? scene + '\u0000' + exception + '\u0000' + state + '\u0000' + text : null;
    Classification known = key == null ? null : recent.get(key);
    if (known != null) {
      return known;
    }
    Classification classification = classify(scene, state, text, exception);
    if (key != null) {
      recent.put(key, classification);
    }
    return classification;
  }

  private Classification classify(String scene, String state, String text, String exception) {
    Rule rule = best(userRules, state, text, exception);
    if (rule == null) {
      rule = best(BuiltinRules.RULES, state, text, exception);
    }
    String redacted = Redactor.redact(text);
    String type = rule == null ? "unknown" : rule.errorType;
    return new Classification(fingerprint(scene, type, state, redacted), scene, type, state,
        redact ? redacted : Redactor.trim(text), rule == null ? "Not a failure Pulse knows: the message and SQLState say more;"
            + " a rule for it can be added in a rules file." : rule.solution,
        rule == null ? UNKNOWN_CONFIDENCE : rule.confidence);
  }

  private static Rule best(List<Rule> rules, String state, String text, String exception) {
    Rule best = null;
    for (Rule rule : rules) {
      if (rule.matches(state, text, exception) && (best == null || rule.specificity() > best.specificity())) {
        best = rule;
      }
    }
    return best;
  }

  /** The first SQLState in the failure, its causes and chained exceptions. */
  static String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException) {
        for (SQLException e = (SQLException) t; e != null; e = e.getNextException() == e ? null : e.getNextException()) {
          if (e.getSQLState() != null) {
            return e.getSQLState();
          }
        }
      }
    }
    return null;
  }

  static String fingerprint(String scene, String type, String state, String redactedMessage) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((scene + '|' + type + '|' + state
          + '|' + redactedMessage).getBytes(StandardCharsets.UTF_8));
      StringBuilder id = new StringBuilder("err-");
      for (int i = 0; i < 6; i++) {
        id.append(String.format("%02x", digest[i]));
      }
      return id.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required on every JVM", e);
    }
  }
}
