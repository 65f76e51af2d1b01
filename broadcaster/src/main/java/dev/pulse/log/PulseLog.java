package dev.pulse.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * The agent's own logger: one line per record on stderr, no framework forced on the host.
 *
 * <p>Writing to stderr takes the stream's lock and does I/O, so it is for start-up, background
 * threads and rare events only, never for a path an application thread runs per call.
 */
public final class PulseLog {

  /** Thresholds, from quietest to most verbose. */
  public enum Level {
    OFF, ERROR, WARN, INFO, DEBUG;

    /** Parses a level name, case-insensitively; null when the name is unknown. */
    public static Level parse(String name) {
      for (Level level : values()) {
        if (level.name().equalsIgnoreCase(name.trim())) {
          return level;
        }
      }
      return null;
    }
  }

  private static volatile Level threshold = Level.INFO;

  private final String component;

  private PulseLog(String component) {
    this.component = component;
  }

  public static PulseLog forComponent(String component) {
    return new PulseLog(component);
  }

  public static void setLevel(Level level) {
    threshold = level;
  }

  public static Level level() {
    return threshold;
  }

  public boolean isEnabled(Level level) {
    return level != Level.OFF && level.ordinal() <= threshold.ordinal();
  }

  public void error(String message) {
    log(Level.ERROR, message, null);
  }

  public void error(String message, Throwable cause) {
    log(Level.ERROR, message, cause);
  }

  public void warn(String message) {
    log(Level.WARN, message, null);
  }

  public void warn(String message, Throwable cause) {
    log(Level.WARN, message, cause);
  }

  public void info(String message) {
    log(Level.INFO, message, null);
  }

  public void debug(String message) {
    log(Level.DEBUG, message, null);
  }

  public void debug(String message, Throwable cause) {
    log(Level.DEBUG, message, cause);
  }

  public void log(Level level, String message, Throwable cause) {
    if (!isEnabled(level)) {
      return;
    }
    StringBuilder line = new StringBuilder(96)
        .append("[pulse] ")
        .append(Instant.now())
        .append(' ')
        .append(level.name().toLowerCase(Locale.ROOT))
        .append(' ')
        .append(component)
        .append(": ")
        .append(message);
    // Below debug a cause is one short clause; its stack trace is only worth a debug reader's time.
    if (cause != null && !isEnabled(Level.DEBUG)) {
      line.append(" (").append(cause).append(')');
    }
    PrintStream err = System.err;
    err.println(line);
    if (cause != null && isEnabled(Level.DEBUG)) {
      cause.printStackTrace(err);
    }
  }
}
