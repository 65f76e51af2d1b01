package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.log.PrintableText;
import dev.pulse.log.PulseLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

  @Test
  void eachReasonIsLoggedOncePerIntervalWithTheCountOfTheRest() throws Exception {
    String lines = captured(() -> {
      RefusalLog log = new RefusalLog(PulseLog.forComponent("test"), 200);
      for (int i = 0; i < 1000; i++) {
        log.refused("origin not allowed", "http://evil.example");
        log.refused("missing or wrong token", "/127.0.0.1:1");
      }
      sleep(300);
      log.refused("origin not allowed", "http://evil.example");
      assertEquals(2001, log.total());
    });
    String[] all = lines.split("\n");
    assertEquals(3, all.length, lines);
    assertTrue(all[2].contains("; 999 more refused for this reason since the last such line"),
        all[2]);
  }

  @Test
  void detailsAreCutAndTheirControlCharactersEscaped() {
    assertEquals("a\\u001b[31mb\\u0007\\u009b\\u2028c", PrintableText.escape("a\u001b[31mb\u0007\u009b\u2028c"));
    assertEquals("plain", PrintableText.escape("plain"));
    String cut = PrintableText.cut("\u001b" + "x".repeat(60_000), 100);
    assertTrue(cut.startsWith("\\u001bxxx"), cut);
    assertTrue(cut.endsWith("x... (60001 characters)"), cut);
    assertTrue(cut.length() < 140, cut);
  }

  private static String captured(Runnable action) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return bytes.toString(StandardCharsets.UTF_8).trim();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
