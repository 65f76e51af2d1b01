package dev.pulse.agent.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads settings from three places. Precedence, highest first: the -javaagent arguments
 * ({@code -javaagent:pulse-agent.jar=port=9000,token=s3cret}), system properties ({@code -Dpulse.port=9000}),
 * environment variables ({@code PULSE_PORT=9000}), then the defaults.
 *
 * <p>A bad value never stops the application: it is reported naming the key, the value and what is
 * allowed, and the part of the agent it belongs to stays off (logging falls back to its default).
 */
public final class SettingsLoader {
  private static final String ARGUMENTS = "the -javaagent arguments";

  private SettingsLoader() {
  }

  public static AgentSettings load(String agentArgs, Properties systemProperties,
      Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    Map<String, String> arguments = parseArguments(agentArgs, problems);
    reportUnknown(arguments.keySet(), ARGUMENTS, "", problems);
    Set<String> propertyKeys = new TreeSet<>();
    for (String name : systemProperties.stringPropertyNames()) {
      if (name.startsWith("pulse.")) {
        propertyKeys.add(name.substring("pulse.".length()));
      }
    }
    // Unknown PULSE_* variables are not reported: the environment is shared with other tools.
    reportUnknown(propertyKeys, "system properties", "pulse.", problems);

    Map<Setting<?>, Object> values = new HashMap<>();
    Set<Part> partsOff = EnumSet.noneOf(Part.class);
    for (Setting<?> setting : Settings.ALL) {
      String raw;
      String source;
      if (arguments.containsKey(setting.key()) && arguments.get(setting.key()) == null) {
        partsOff.add(setting.part()); // a secret refused while reading the arguments
        continue;
      } else if (arguments.containsKey(setting.key())) {
        raw = arguments.get(setting.key());
        source = ARGUMENTS;
      } else if (systemProperties.getProperty(setting.systemProperty()) != null) {
        raw = systemProperties.getProperty(setting.systemProperty());
        source = "system property " + setting.systemProperty();
      } else if (environment.get(setting.environmentVariable()) != null) {
        raw = environment.get(setting.environmentVariable());
        source = "environment variable " + setting.environmentVariable();
      } else {
        continue;
      }
      try {
        values.put(setting, setting.parse(raw));
      } catch (IllegalArgumentException e) {
        problems.add(describe(setting, raw, source, e.getMessage()));
        if (setting.part() != Part.LOGGING) {
          partsOff.add(setting.part());
        }
      }
    }
    AgentSettings settings = new AgentSettings(values, problems, partsOff);
    if (settings.get(Settings.AUTOSCALE_LOW) >= settings.get(Settings.AUTOSCALE_HIGH)) {
      problems.add("settings autoscale.low = " + settings.get(Settings.AUTOSCALE_LOW)
          + " and autoscale.high = " + settings.get(Settings.AUTOSCALE_HIGH)
          + " overlap: low must be below high. The adaptive pool sizer stays off; the rest of"
          + " the agent runs.");
      partsOff.add(Part.AUTOSCALE);
      return new AgentSettings(values, problems, partsOff);
    }
    return settings;
  }

  /** A value longer than this is cut in messages: one log line, however long the mistake. */
  private static final int SHOWN_LENGTH = 100;

  private static String shorten(String text) {
    return text.length() <= SHOWN_LENGTH ? text : text.substring(0, SHOWN_LENGTH) + "...";
  }

  private static String describe(Setting<?> setting, String raw, String source, String why) {
    String shown = setting.secret() ? "(hidden)" : "\"" + shorten(raw) + "\""
        + (raw.length() > SHOWN_LENGTH ? " (" + raw.length() + " characters)" : "");
    String consequence = setting.part() == Part.LOGGING
        ? "Using the default, " + setting.defaultText() + "."
        : setting.part() == Part.AGENT
            ? "The agent stays off; the application runs without it."
            : capitalize(setting.part().description()) + " stays off; the rest of the agent runs.";
    return "setting " + setting.key() + " = " + shown + " from " + source + " is invalid ("
        + shorten(why) + "). Allowed: " + setting.allowed() + ". " + consequence;
  }

  /**
   * "port=9000,token=s3cret". A list value may contain commas: a piece without '=' continues the
   * previous value, so origins=http://a,http://b,port=9000 reads as two origins and a port.
   *
   * <p>A secret (token, tls.password) is never continued that way: when its value is followed by a
   * piece that is not a known key=value, the secret may well go on into it
   * ({@code token=abc,tail=xyz} may mean the token "abc,tail=xyz"), so it is refused, its part
   * stays off, and neither it nor the pieces after it are shown. A piece with no key before it is
   * never shown either: it may be a secret given without its key. A refused secret maps to null.
   */
  /** The key of one comma-separated piece of the arguments, or null when it is not key=value. */
  static String argumentKey(String piece) {
    int eq = piece.indexOf('=');
    return eq > 0 ? piece.substring(0, eq).trim() : null;
  }

  static Map<String, String> parseArguments(String agentArgs, List<String> problems) {
    Map<String, String> arguments = new LinkedHashMap<>();
    if (agentArgs == null || agentArgs.trim().isEmpty()) {
      return arguments;
    }
    String lastKey = null;
    int position = 0;
    for (String piece : agentArgs.split(",")) {
      position++;
      String key = argumentKey(piece);
      Setting<?> last = lastKey == null ? null : find(lastKey);
      boolean afterSecret = last != null && last.secret();
      if (afterSecret && (key == null || find(key) == null)) {
        if (arguments.get(lastKey) != null) {
          arguments.put(lastKey, null);
          problems.add("setting " + lastKey + " in " + ARGUMENTS + " is refused: its value is"
              + " followed by a comma and text that is not a setting, so where it ends cannot be"
              + " told (neither is shown). It cannot contain a comma there: set it with -D"
              + last.systemProperty() + "=... or " + last.environmentVariable() + ". "
              + capitalize(last.part().description()) + " stays off; the rest of the agent runs.");
        }
      } else if (key != null) {
        lastKey = key;
        arguments.put(lastKey, piece.substring(piece.indexOf('=') + 1));
      } else if (lastKey != null) {
        arguments.put(lastKey, arguments.get(lastKey) + "," + piece);
      } else if (!piece.trim().isEmpty()) {
        problems.add("agent argument " + position + " (" + piece.trim().length() + " characters,"
            + " not shown: it may be a secret) is not key=value; ignored."
            + " Example: -javaagent:pulse-agent.jar=port=9000,token=s3cret");
      }
    }
    return arguments;
  }

  private static void reportUnknown(Set<String> keys, String source, String prefix,
      List<String> problems) {
    for (String key : keys) {
      if (find(key) == null) {
        String suggestion = closest(key);
        problems.add("unknown setting " + prefix + key + " in " + source + "; ignored."
            + (suggestion == null ? "" : " Did you mean " + prefix + suggestion + "?")
            + " Known settings are listed in the README.");
      }
    }
  }

  private static Setting<?> find(String key) {
    for (Setting<?> setting : Settings.ALL) {
      if (setting.key().equals(key)) {
        return setting;
      }
    }
    return null;
  }

  private static String closest(String key) {
    String best = null;
    int bestDistance = 3;
    for (Setting<?> setting : Settings.ALL) {
      int distance = editDistance(key, setting.key());
      if (distance < bestDistance) {
        best = setting.key();
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static String capitalize(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
