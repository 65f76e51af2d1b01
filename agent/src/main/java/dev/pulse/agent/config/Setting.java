package dev.pulse.agent.config;

/**
 * One setting: its key, the part of the agent it belongs to, its default, what values it allows
 * (in words, for error messages and the README) and how to read it.
 */
public final class Setting<T> {

  /** Reads a raw value; throws {@link IllegalArgumentException} saying what is wrong with it. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(String raw);
  }

  private final String key;
  private final Part part;
  private final T defaultValue;
  private final String defaultText;
  private final String allowed;
  private final String description;
  private final Parser<T> parser;
  private final boolean secret;

  Setting(String key, Part part, T defaultValue, String defaultText, String allowed,
      String description, Parser<T> parser, boolean secret) {
    this.key = key;
    this.part = part;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.allowed = allowed;
    this.description = description;
    this.parser = parser;
    this.secret = secret;
  }

  public String key() {
    return key;
  }

  /** pulse.port */
  public String systemProperty() {
    return systemPropertyOf(key);
  }

  /** PULSE_PORT */
  public String environmentVariable() {
    return environmentVariableOf(key);
  }

  /** The system property that sets the setting of that key. */
  public static String systemPropertyOf(String key) {
    return "pulse." + key;
  }

  /** The environment variable that sets the setting of that key. */
  public static String environmentVariableOf(String key) {
    return "PULSE_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }

  public Part part() {
    return part;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String defaultText() {
    return defaultText;
  }

  public String allowed() {
    return allowed;
  }

  public String description() {
    return description;
  }

  /** Secret values are never written to a log or an error message. */
  public boolean secret() {
    return secret;
  }

  T parse(String raw) {
    return parser.parse(raw.trim());
  }
}
