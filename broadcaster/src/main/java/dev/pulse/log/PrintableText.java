package dev.pulse.log;

/**
 * Text from outside (a client's header, a driver's message) made safe for a terminal or a log
 * line: control characters (C0, DEL, C1, the Unicode line separators) become \\uXXXX escapes, so
 * no escape sequence reaches a terminal and no record is split in two.
 */
public final class PrintableText {
  private PrintableText() {
  }

  public static String escape(String text) {
    return cut(text, Integer.MAX_VALUE);
  }

  /** Escaped, and cut after {@code max} characters of the original with its length told. */
  public static String cut(String text, int max) {
    if (text == null) {
      return "";
    }
    int shown = Math.min(text.length(), max);
    StringBuilder out = null;
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028'
          || c == '\u2029';
      if (control && out == null) {
        out = new StringBuilder(shown + 16).append(text, 0, i);
      }
      if (control) {
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    String result = out != null ? out.toString() : text.substring(0, shown);
    return text.length() > shown ? result + "... (" + text.length() + " characters)" : result;
  }
}
