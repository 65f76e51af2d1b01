package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which data is left to be written later: only what the writer writes itself, never failing. */
class EnvelopeWriterTest {

  @Test
  void dataOfTheKindsItWritesItselfIsSaidSo() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("text", "x");
    data.put("int", 1);
    data.put("long", 2L);
    data.put("short", (short) 3);
    data.put("double", Double.NaN);
    data.put("float", 1.5f);
    data.put("flag", true);
    data.put("none", null);
    data.put("list", Arrays.asList(1, "two", null, List.of(3.0)));
    data.put("nested", Map.of("inner", List.of(Map.of("k", 1L))));
    assertTrue(EnvelopeWriter.writesItself(data));
    new EnvelopeWriter().write("t", "c", 1, data, 0); // and indeed writes it
  }

  @Test
  void anythingHandedToJacksonAtAnyDepthIsNot() {
    assertFalse(EnvelopeWriter.writesItself(Map.of("n", new Object())));
    assertFalse(EnvelopeWriter.writesItself(Map.of("n", new BigDecimal("1.5"))));
    assertFalse(EnvelopeWriter.writesItself(Map.of("n", List.of(Map.of("deep", (byte) 1)))));
    assertFalse(EnvelopeWriter.writesItself(Map.of("n", new int[] {1})));
  }
}
