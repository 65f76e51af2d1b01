package dev.pulse.broadcaster;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Writes the contract's envelope. Used by the dispatcher thread only, so its buffer is reused. */
final class EnvelopeWriter {
  /** Replies to one client (welcome, pong, error...) travel on this pseudo-channel. */
  static final String CONTROL_CHANNEL = "control";

  // Instant.toString() drops the millis when they are zero; the contract wants them always.
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final ObjectMapper mapper = new ObjectMapper();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

  /**
   * The value kinds events carry, written directly: looking up a serializer per value, as
   * ObjectMapper does, costs more than the writing. Anything else falls back to Jackson.
   */
  private void writeValue(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof String) {
      json.writeString((String) value);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      json.writeNumber(((Number) value).doubleValue());
    } else if (value instanceof Boolean) {
      json.writeBoolean((Boolean) value);
    } else if (value instanceof Map) {
      json.writeStartObject();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        json.writeFieldName(String.valueOf(entry.getKey()));
        writeValue(json, entry.getValue());
      }
      json.writeEndObject();
    } else if (value instanceof Iterable) {
      json.writeStartArray();
      for (Object item : (Iterable<?>) value) {
        writeValue(json, item);
      }
      json.writeEndArray();
    } else {
      mapper.writeValue(json, value);
    }
  }

  byte[] write(String type, String channel, long seq, Map<String, ?> data, long timestampMillis) {
    buffer.reset();
    try (JsonGenerator json = mapper.getFactory().createGenerator(buffer)) {
      json.writeStartObject();
      json.writeStringField("type", type);
      json.writeStringField("channel", channel);
      json.writeNumberField("seq", seq);
      json.writeFieldName("data");
      writeValue(json, data);
      json.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(timestampMillis)));
      json.writeEndObject();
    } catch (IOException e) {
      // A ByteArrayOutputStream does not fail; a value Jackson cannot write is a publisher's bug.
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }
}
