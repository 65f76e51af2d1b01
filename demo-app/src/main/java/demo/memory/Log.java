package demo.memory;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** The demo's own console lines: time and message. */
final class Log {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private Log() {
  }

  static void info(String message) {
    System.out.println(TIME.format(LocalTime.now()) + " demo: " + message);
  }
}
