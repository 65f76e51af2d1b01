package dev.pulse.broadcaster;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Writes the contract's envelope. Each is used by one thread only (the dispatcher's, the series
 * thread's), so its buffer is reused.
 */
final class EnvelopeWriter {
  /** Replies to one client (welcome, pong, error...) travel on this pseudo-channel. */
  static final String CONTROL_CHANNEL = "control";

  // Jackson's streaming writer only: its data binding (some 300 classes) is made when a value of
  // a kind not written directly below first comes, which the agent's own events do not carry.
  // The streaming writer itself (some 50 classes) is made by the first envelope written: an idle
  // agent, whose dispatcher never writes, loads none of it.
  private JsonFactory factory;
  private ObjectMapper mapper;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
  private final char[] timestamp = new char[24];
  /** The second whose text {@link #timestamp} starts with: events mostly share their second. */
  private long timestampSecond = Long.MIN_VALUE;

  /**
   * Whether {@link #write} cannot fail on this value: it is made only of the kinds
   * {@link #writeValue} writes itself, none handed to Jackson's data binding (which may refuse a
   * value it cannot describe).
   */
  static boolean writesItself(Object value) {
    if (value == null || value instanceof String || value instanceof Integer
        || value instanceof Long || value instanceof Short || value instanceof Double
        || value instanceof Float || value instanceof Boolean) {
      return true;
    }
    if (value instanceof Map) {
      return allWrittenItself(((Map<?, ?>) value).values());
    }
    return value instanceof Iterable && allWrittenItself((Iterable<?>) value);
  }

  private static boolean allWrittenItself(Iterable<?> values) {
    for (Object item : values) {
      if (!writesItself(item)) {
        return false;
      }
    }
    return true;
  }

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
      if (mapper == null) {
        mapper = new ObjectMapper();
      }
      mapper.writeValue(json, value);
    }
  }

  byte[] write(String type, String channel, long seq, Map<String, ?> data, long timestampMillis) {
    buffer.reset();
    if (factory == null) {
      factory = new JsonFactory();
    }
    try (JsonGenerator json = factory.createGenerator(buffer)) {
      json.writeStartObject();
      json.writeStringField("type", type);
      json.writeStringField("channel", channel);
      json.writeNumberField("seq", seq);
      json.writeFieldName("data");
      writeValue(json, data);
      json.writeFieldName("timestamp");
      writeTimestamp(json, timestampMillis);
      json.writeEndObject();
    } catch (IOException e) {
      // A ByteArrayOutputStream does not fail; a value Jackson cannot write is a publisher's bug.
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  /** uuuu-MM-ddTHH:mm:ss.SSSZ in UTC; the part up to the second is formatted once a second. */
  private void writeTimestamp(JsonGenerator json, long millis) throws IOException {
    long second = Math.floorDiv(millis, 1000);
    if (second != timestampSecond) {
      String text = Formats.TO_SECONDS.format(Instant.ofEpochSecond(second));
      if (text.length() != 20) { // a year outside 0000-9999: not worth a cache
        json.writeString(Formats.TIMESTAMP.format(Instant.ofEpochMilli(millis)));
        return;
      }
      text.getChars(0, 20, timestamp, 0);
      timestamp[23] = 'Z';
      timestampSecond = second;
    }
    int ms = (int) Math.floorMod(millis, 1000);
    timestamp[20] = (char) ('0' + ms / 100);
    timestamp[21] = (char) ('0' + ms / 10 % 10);
    timestamp[22] = (char) ('0' + ms % 10);
    json.writeString(timestamp, 0, timestamp.length);
  }

  /** Parsed by the first envelope written, not when the agent starts. */
  private static final class Formats {
    // Instant.toString() drops the millis when they are zero; the contract wants them always.
    static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter TO_SECONDS =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
  }
}
