package dev.pulse.agent.firewall;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.log.PulseLog;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the user's classification rules (docs/firewall-rules.md has the schema):
 *
 * <pre>
 * {"rules": [
 *   {"id": "billing-lock", "match": {"sql_state": "55P03", "message": "billing_"},
 *    "error_type": "billing_lock_timeout", "solution": "Run billing at night.", "confidence": 0.9}
 * ]}
 * </pre>
 *
 * A file that is not valid, as a whole, is refused with the line and the reason of its first
 * problem: a half-read rule set would classify silently differently.
 */
public final class RulesFile {
  private static final PulseLog LOG = PulseLog.forComponent("agent");
  private static final Set<String> MATCH_FIELDS = Set.of("sql_state", "sql_state_class", "message",
      "exception");
  private static final Set<String> RULE_FIELDS = Set.of("id", "match", "error_type", "solution",
      "confidence");

  /** Why a rules file was refused. */
  public static final class InvalidRulesException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidRulesException(Path file, int line, String reason) {
      super(file + (line > 0 ? ", line " + line : "") + ": " + reason);
    }
  }

  private RulesFile() {
  }

  /** The user's rules file, read now; refused as a whole when broken (the built-ins stay on). */
  public static List<Rule> readOrNone(Path file) {
    if (file == null) {
      return List.of();
    }
    try {
      List<Rule> rules = read(file);
      LOG.info("firewall: " + rules.size() + " rules from " + file);
      return rules;
    } catch (InvalidRulesException e) {
      LOG.error("firewall rules refused: " + e.getMessage() + "; the built-in rules stay on");
      return List.of();
    }
  }

  public static List<Rule> read(Path file) throws InvalidRulesException {
    ObjectMapper mapper = new ObjectMapper();
    List<Rule> rules = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        JsonParser parser = mapper.getFactory().createParser(reader)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidRulesException(file, line(parser), "expected an object {\"rules\": [...]}");
      }
      boolean sawRules = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.getCurrentName();
        JsonToken value = parser.nextToken();
        if (!field.equals("rules")) {
          throw new InvalidRulesException(file, line(parser), "unknown field \"" + field
              + "\"; the file has one field, \"rules\"");
        }
        if (value != JsonToken.START_ARRAY) {
          throw new InvalidRulesException(file, line(parser), "\"rules\" must be an array");
        }
        sawRules = true;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          int line = line(parser);
          if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidRulesException(file, line, "each rule must be an object");
          }
          JsonNode node = mapper.readTree(parser);
          rules.add(rule(file, line, node, rules.size() + 1));
        }
      }
      if (!sawRules) {
        throw new InvalidRulesException(file, line(parser), "missing \"rules\": [...]");
      }
    } catch (JsonProcessingException e) {
      throw new InvalidRulesException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidRulesException(file, 0, "cannot be read: " + e.getMessage());
    }
    return rules;
  }

  private static Rule rule(Path file, int line, JsonNode node, int number) throws InvalidRulesException {
    String name = node.path("id").isTextual() ? "rule \"" + node.get("id").asText() + "\"" : "rule " + number;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!RULE_FIELDS.contains(field)) {
        throw new InvalidRulesException(file, line, name + ": unknown field \"" + field
            + "\"; allowed: id, match, error_type, solution, confidence");
      }
    }
    JsonNode match = node.get("match");
    if (match == null || !match.isObject() || match.size() == 0) {
      throw new InvalidRulesException(file, line, name + ": \"match\" must be an object with at least"
          + " one of sql_state, sql_state_class, message, exception");
    }
    for (Iterator<String> it = match.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!MATCH_FIELDS.contains(field) || !match.get(field).isTextual()) {
        throw new InvalidRulesException(file, line, name + ": match." + field + " is not allowed;"
            + " allowed are text fields sql_state, sql_state_class, message, exception");
      }
    }
    String type = text(node, "error_type");
    String solution = text(node, "solution");
    if (type == null || !type.matches("[a-z][a-z0-9_]*")) {
      throw new InvalidRulesException(file, line, name + ": \"error_type\" is required, in"
          + " snake_case such as lock_timeout");
    }
    if (solution == null || solution.isEmpty()) {
      throw new InvalidRulesException(file, line, name + ": \"solution\" is required");
    }
    JsonNode confidence = node.get("confidence");
    double sure = confidence == null ? 0.8 : confidence.asDouble(-1);
    if (confidence != null && (!confidence.isNumber() || sure < 0 || sure > 1)) {
      throw new InvalidRulesException(file, line, name + ": \"confidence\" must be a number from 0 to 1");
    }
    Pattern message;
    try {
      message = text(match, "message") == null ? null : Pattern.compile(text(match, "message"));
    } catch (PatternSyntaxException e) {
      throw new InvalidRulesException(file, line, name + ": match.message is not a valid regular"
          + " expression: " + e.getDescription());
    }
    String state = text(match, "sql_state");
    String stateClass = text(match, "sql_state_class");
    if ((state != null && !state.matches("[0-9A-Z]{5}")) || (stateClass != null && !stateClass.matches("[0-9A-Z]{2}"))) {
      throw new InvalidRulesException(file, line, name + ": sql_state has five characters (23505),"
          + " sql_state_class two (23)");
    }
    return new Rule(text(node, "id"), state, stateClass, message, text(match, "exception"), type,
        solution, sure);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private static int line(JsonParser parser) {
    return parser.getCurrentLocation() == null ? 0 : parser.getCurrentLocation().getLineNr();
  }
}
