package dev.pulse.agent.config;

import dev.pulse.agent.autoscale.SizeBound;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kinds of value settings take. Each throws IllegalArgumentException saying what is wrong.
 * The parsers are classes, not lambdas: all of them are made when the settings are read, on the
 * agent's start, which woven classes wait for, and a lambda whose captured values have a new shape
 * costs that start several milliseconds of method-handle classes spun at run time (the 14 here
 * were 15–30 ms of it).
 */
final class ValueParsers {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
  private static final Pattern BYTE_SIZE = Pattern.compile("(\\d{1,12})(b|k|kb|kib|m|mb|mib)?");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private ValueParsers() {
  }

  static Setting.Parser<Boolean> bool() {
    return new Setting.Parser<Boolean>() {
      @Override
      public Boolean parse(String raw) {
        switch (raw.toLowerCase(Locale.ROOT)) {
          case "true":
          case "yes":
          case "on":
            return true;
          case "false":
          case "no":
          case "off":
            return false;
          default:
            throw new IllegalArgumentException("not a boolean");
        }
      }
    };
  }

  static Setting.Parser<Integer> intRange(int min, int max) {
    return new Setting.Parser<Integer>() {
      @Override
      public Integer parse(String raw) {
        int value;
        try {
          value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a whole number");
        }
        if (value < min || value > max) {
          throw new IllegalArgumentException("out of range");
        }
        return value;
      }
    };
  }

  static Setting.Parser<Double> decimalRange(double min, double max) {
    return new Setting.Parser<Double>() {
      @Override
      public Double parse(String raw) {
        double value;
        try {
          value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a number");
        }
        if (!(value >= min && value <= max)) {
          throw new IllegalArgumentException("out of range");
        }
        return value;
      }
    };
  }

  /** "2x" (a multiple of the configured pool size) or a number of connections. */
  static Setting.Parser<SizeBound> sizeBound() {
    return new Setting.Parser<SizeBound>() {
      @Override
      public SizeBound parse(String raw) {
        String value = raw.toLowerCase(Locale.ROOT);
        try {
          if (value.endsWith("x")) {
            double multiple = Double.parseDouble(value.substring(0, value.length() - 1));
            if (multiple >= 0.1 && multiple <= 100) {
              return SizeBound.multipleOfConfigured(multiple);
            }
          } else {
            int connections = Integer.parseInt(value);
            if (connections >= 1 && connections <= 10_000) {
              return SizeBound.connections(connections);
            }
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw new IllegalArgumentException("not a pool size");
      }
    };
  }

  /** Comma-separated names, any text but commas. */
  static Setting.Parser<List<String>> names() {
    return new Setting.Parser<List<String>>() {
      @Override
      public List<String> parse(String raw) {
        List<String> names = new ArrayList<>();
        for (String entry : raw.split(",")) {
          if (!entry.trim().isEmpty()) {
            names.add(entry.trim());
          }
        }
        return Collections.unmodifiableList(names);
      }
    };
  }

  /** "500ms", "30s", "5m", "1h"; a bare number is seconds. */
  static Setting.Parser<Duration> duration(Duration min, Duration max) {
    return new Setting.Parser<Duration>() {
      @Override
      public Duration parse(String raw) {
        Matcher m = matching(DURATION, raw, "not a duration");
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration value;
        switch (unit) {
          case "ms":
            value = Duration.ofMillis(amount);
            break;
          case "m":
            value = Duration.ofMinutes(amount);
            break;
          case "h":
            value = Duration.ofHours(amount);
            break;
          default:
            value = Duration.ofSeconds(amount);
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
          throw new IllegalArgumentException("out of range");
        }
        return value;
      }
    };
  }

  /** "65536", "64k", "1m" (binary units); a bare number is bytes. */
  static Setting.Parser<Long> byteSize(long min, long max) {
    return new Setting.Parser<Long>() {
      @Override
      public Long parse(String raw) {
        Matcher m = matching(BYTE_SIZE, raw, "not a size");
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long value = unit.startsWith("k") ? amount * 1024
            : unit.startsWith("m") ? amount * 1024 * 1024 : amount;
        if (value < min || value > max) {
          throw new IllegalArgumentException("out of range");
        }
        return value;
      }
    };
  }

  /** A number and its unit, matched case-blind; else the error saying what the value is not. */
  private static Matcher matching(Pattern amountAndUnit, String raw, String notThis) {
    Matcher m = amountAndUnit.matcher(raw.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(notThis);
    }
    return m;
  }

  static <E> Setting.Parser<E> oneOf(List<String> names, java.util.function.Function<String, E> lookup) {
    return new Setting.Parser<E>() {
      @Override
      public E parse(String raw) {
        String name = raw.toLowerCase(Locale.ROOT);
        if (!names.contains(name)) {
          throw new IllegalArgumentException("not one of the allowed values");
        }
        return lookup.apply(name);
      }
    };
  }

  /** An IP literal of an interface to listen on, or localhost; names are not resolved at start-up. */
  static Setting.Parser<String> listenAddress() {
    return new Setting.Parser<String>() {
      @Override
      public String parse(String raw) {
        String value = raw.toLowerCase(Locale.ROOT);
        if (value.equals("localhost")) {
          return "127.0.0.1";
        }
        if (IPV4.matcher(value).matches()) {
          for (String octet : value.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
              throw new IllegalArgumentException("not an IP address");
            }
          }
          return value;
        }
        if (value.contains(":") && value.matches("[0-9a-f:.]+")) {
          return value;
        }
        throw new IllegalArgumentException("not an IP address");
      }
    };
  }

  /** An absolute http:// or https:// URL with a host. */
  static Setting.Parser<String> httpUrl() {
    return new Setting.Parser<String>() {
      @Override
      public String parse(String raw) {
        java.net.URI uri;
        try {
          uri = new java.net.URI(raw);
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
          throw new IllegalArgumentException("not an http:// or https:// URL with a host");
        }
        return raw;
      }
    };
  }

  static Setting.Parser<String> nonEmpty() {
    return new Setting.Parser<String>() {
      @Override
      public String parse(String raw) {
        if (raw.isEmpty()) {
          throw new IllegalArgumentException("empty");
        }
        return raw;
      }
    };
  }

  static Setting.Parser<String> anyText() {
    return new Setting.Parser<String>() {
      @Override
      public String parse(String raw) {
        return raw;
      }
    };
  }

  /** A file that exists and can be read now. */
  static Setting.Parser<Path> readableFile() {
    return new Setting.Parser<Path>() {
      @Override
      public Path parse(String raw) {
        Path path;
        try {
          path = Paths.get(raw);
        } catch (InvalidPathException e) {
          throw new IllegalArgumentException("not a file path");
        }
        if (!Files.isRegularFile(path)) {
          throw new IllegalArgumentException("no such file");
        }
        if (!Files.isReadable(path)) {
          throw new IllegalArgumentException("file not readable");
        }
        return path;
      }
    };
  }

  /** Comma-separated origins, each "*" or scheme://host[:port]. */
  static Setting.Parser<List<String>> origins() {
    return new Setting.Parser<List<String>>() {
      @Override
      public List<String> parse(String raw) {
        List<String> origins = new ArrayList<>();
        for (String entry : raw.split(",")) {
          String origin = entry.trim();
          if (origin.isEmpty()) {
            continue;
          }
          if (!origin.equals("*") && !origin.matches("(?i)https?://[^/\\s?#]+/?")) {
            throw new IllegalArgumentException("\"" + origin + "\" is not an origin");
          }
          origins.add(origin);
        }
        return Collections.unmodifiableList(origins);
      }
    };
  }
}
