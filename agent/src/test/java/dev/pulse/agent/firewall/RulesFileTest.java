package dev.pulse.agent.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RulesFileTest {
  @TempDir
  Path dir;

  private Path write(String json) throws Exception {
    return Files.writeString(dir.resolve("rules.json"), json);
  }

  @Test
  void userRulesComeBeforeTheBuiltInOnes() throws Exception {
    List<Rule> rules = RulesFile.read(write("{\"rules\": [\n"
        + "  {\"id\": \"billing-lock\", \"match\": {\"sql_state\": \"55P03\", \"message\": \"billing_\"},\n"
        + "   \"error_type\": \"billing_lock_timeout\", \"solution\": \"Run billing at night.\","
        + " \"confidence\": 0.9}\n]}"));
    ErrorClassifier classifier = new ErrorClassifier(rules, true);
    Classification billing = classifier.classify(new SQLException(
        "canceling statement due to lock timeout on billing_runs", "55P03"), "query");
    assertEquals("billing_lock_timeout", billing.errorType);
    assertEquals("Run billing at night.", billing.solution);
    assertEquals(0.9, billing.confidence);
    assertEquals("lock_timeout", classifier.classify(new SQLException(
        "canceling statement due to lock timeout", "55P03"), "query").errorType, "built-ins still on");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"rules\": [\\n{\"match\": {\"sql_state\": \"55P03\"}, \"solution\": \"x\"}\\n]} | line 2: rule 1: \"error_type\" is required",
      "{\"rules\": [\\n{\"match\": {\"sql_state\": \"55P03\"},\\n \"error_type\": \"t\", \"solution\": \"x\"},\\n{\"id\": \"b\", \"match\": {}, \"error_type\": \"t\", \"solution\": \"x\"}]} | line 4: rule \"b\": \"match\" must be an object",
      "{\"rules\": [\\n{\"match\": {\"state\": \"55P03\"}, \"error_type\": \"t\", \"solution\": \"x\"}]} | line 2: rule 1: match.state is not allowed",
      "{\"rules\": [\\n\\n{\"match\": {\"message\": \"(\"}, \"error_type\": \"t\", \"solution\": \"x\"}]} | line 3: rule 1: match.message is not a valid regular expression",
      "{\"rules\": [\\n{\"match\": {\"sql_state\": \"5\"}, \"error_type\": \"t\", \"solution\": \"x\"}]} | line 2: rule 1: sql_state has five characters",
      "{\"rules\": [\\n{\"match\": {\"sql_state\": \"55P03\"}, \"error_type\": \"t\", \"solution\": \"x\", \"confidence\": 2}]} | line 2: rule 1: \"confidence\" must be a number from 0 to 1",
      "{\"rules\": [\\n{\"match\": {\"sql_state\": \"55P03\"}, \"error_type\": \"t\", \"solution\": \"x\", \"prio\": 1}]} | line 2: rule 1: unknown field \"prio\"",
      "{\"rules\": [\\n{\"match\": {\"sql_state\": \"55P03\"},\\n\\n \"error_type\": \"t\" \"solution\": \"x\"}]} | line 4: not valid JSON",
      "[1, 2] | line 1: expected an object",
      "{\"rulez\": []} | line 1: unknown field \"rulez\""
  })
  void aBrokenFileIsRefusedWithItsLineAndReason(String json, String expected) throws Exception {
    Path file = write(json.replace("\\n", "\n"));
    RulesFile.InvalidRulesException refused = assertThrows(RulesFile.InvalidRulesException.class,
        () -> RulesFile.read(file));
    String message = refused.getMessage();
    assertEquals(true, message.startsWith(file + ", " + expected), message);
  }

  @Test
  void aMissingFileIsRefused() {
    Path missing = dir.resolve("none.json");
    RulesFile.InvalidRulesException refused = assertThrows(RulesFile.InvalidRulesException.class,
        () -> RulesFile.read(missing));
    assertEquals(true, refused.getMessage().contains("cannot be read"), refused.getMessage());
  }
}
