package dev.pulse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Checks a real message against the JSON Schema of its type in docs/schemas. */
public final class ContractSchemas {
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private ContractSchemas() {
  }

  /** The violations of this message, empty when it follows the contract. */
  public static Set<String> violations(JsonNode message) {
    String type = message.path("type").asText();
    JsonSchema schema = SCHEMAS.computeIfAbsent(type, ContractSchemas::load);
    return schema.validate(message).stream().map(ValidationMessage::getMessage)
        .collect(Collectors.toSet());
  }

  /** Fails, listing every violation, unless the message follows the contract. */
  public static JsonNode assertValid(JsonNode message) {
    Set<String> violations = violations(message);
    if (!violations.isEmpty()) {
      throw new AssertionError("not the contract's " + message.path("type").asText() + ": "
          + violations + "\n" + message);
    }
    return message;
  }

  private static JsonSchema load(String type) {
    Path file = Paths.get(System.getProperty("pulse.schemas.dir", "../docs/schemas"),
        type + ".schema.json");
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("no schema for message type \"" + type + "\" at " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return FACTORY.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
