package dev.pulse.agent.vector;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads what JDBC does not expose from PostgreSQL's driver (pgjdbc), by reflection, for vector
 * searches (and row counts of the query statistics): a bound parameter as a SQL literal, and the number of rows a result holds (pgjdbc
 * reads a whole result into memory unless a fetch size is set in a transaction). Unknown drivers,
 * or a pgjdbc that changed, give null: never a guess. What is resolved is kept with the driver's
 * classes (ClassValue), so the agent holds no reference to the driver's class loader.
 */
public final class PgjdbcAccess {
  private final ClassValue<Optional<Field>> parameterFields = fieldOf("preparedParameters");
  private final ClassValue<Optional<Field>> rowFields = fieldOf("rows");
  private final ClassValue<Optional<Field>> valueFields = fieldOf("paramValues");
  private final ClassValue<Optional<Field>> typeFields = fieldOf("paramTypes");
  private final ClassValue<Optional<Method>> literalMethods = new ClassValue<>() {
    @Override
    protected Optional<Method> computeValue(Class<?> parameterList) {
      return Optional.ofNullable(literalMethod(parameterList.getClassLoader()));
    }
  };

  /** The value bound to parameter {@code index} (1-based) as pgjdbc would inline it, or null. */
  String parameterLiteral(Object statement, int index) {
    try {
      Object driverStatement = ((PreparedStatement) statement).unwrap(PreparedStatement.class);
      Field field = parameterFields.get(driverStatement.getClass()).orElse(null);
      if (field == null) {
        return null;
      }
      Object parameters = field.get(driverStatement);
      Method literal = literalMethods.get(parameters.getClass()).orElse(null);
      return literal == null ? null : (String) literal.invoke(parameters, index, true);
    } catch (Exception | LinkageError e) {
      return null;
    }
  }

  /**
   * The whole number bound to parameter {@code index} (1-based), or null. Reads pgjdbc's bound
   * value where it is an integer (setInt, setLong, setShort: binary) or text, so that reading k
   * allocates nothing; anything else goes through {@link #parameterLiteral}.
   */
  Integer wholeNumberParameter(Object statement, int index) {
    try {
      Object driverStatement = ((PreparedStatement) statement).unwrap(PreparedStatement.class);
      Field parametersField = parameterFields.get(driverStatement.getClass()).orElse(null);
      Object parameters = parametersField == null ? null : parametersField.get(driverStatement);
      if (parameters != null) {
        Field values = valueFields.get(parameters.getClass()).orElse(null);
        Field types = typeFields.get(parameters.getClass()).orElse(null);
        if (values != null && types != null) {
          Object[] bound = (Object[]) values.get(parameters);
          int[] oids = (int[]) types.get(parameters);
          if (index >= 1 && index <= bound.length && index <= oids.length) {
            long value = wholeNumber(bound[index - 1], oids[index - 1]);
            if (value >= 0 && value <= Integer.MAX_VALUE) {
              return Integer.valueOf((int) value);
            }
          }
        }
      }
    } catch (Exception | LinkageError e) {
      // read as a literal below
    }
    return wholeNumber(parameterLiteral(statement, index));
  }

  /** A bound int2/int4/int8 (binary, big-endian) or digits in text; -1 when it is neither. */
  static long wholeNumber(Object value, int oid) {
    if (value instanceof byte[]) {
      byte[] bytes = (byte[]) value;
      int length = oid == 21 ? 2 : oid == 23 ? 4 : oid == 20 ? 8 : -1;
      if (bytes.length != length) {
        return -1;
      }
      long number = bytes[0]; // signed: a negative number is no k
      for (int i = 1; i < length; i++) {
        number = (number << 8) | (bytes[i] & 0xff);
      }
      return number < 0 ? -1 : number;
    }
    if (value instanceof String) {
      String text = (String) value;
      long number = -1;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c >= '0' && c <= '9') {
          number = (number < 0 ? 0 : number * 10) + (c - '0');
          if (number > Integer.MAX_VALUE) {
            return -1;
          }
        } else if (number >= 0 || !Character.isWhitespace(c)) {
          break;
        }
      }
      return number;
    }
    return -1;
  }

  /** Rows the driver holds for this result, or null when that cannot be known. */
  public Integer rowCount(Object resultSet) {
    try {
      Object driverResult = ((ResultSet) resultSet).unwrap(ResultSet.class);
      Field field = rowFields.get(driverResult.getClass()).orElse(null);
      Object rows = field == null ? null : field.get(driverResult);
      return rows instanceof List ? ((List<?>) rows).size() : null;
    } catch (Exception | LinkageError e) {
      return null;
    }
  }

  /** The first whole number in a literal such as 5, '5'::int4 or ('5'::int4). */
  static Integer wholeNumber(String literal) {
    if (literal == null) {
      return null;
    }
    int start = -1;
    for (int i = 0; i < literal.length(); i++) {
      if (Character.isDigit(literal.charAt(i))) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      return null;
    }
    int end = start;
    while (end < literal.length() && Character.isDigit(literal.charAt(end))) {
      end++;
    }
    try {
      return Integer.valueOf(literal.substring(start, end));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The text inside a literal's quotes ('64'::varchar gives 64), or the literal itself. */
  static String text(String literal) {
    if (literal == null) {
      return null;
    }
    int open = literal.indexOf('\'');
    int close = literal.indexOf('\'', open + 1);
    return open >= 0 && close > open ? literal.substring(open + 1, close) : literal;
  }

  private static ClassValue<Optional<Field>> fieldOf(String name) {
    return new ClassValue<>() {
      @Override
      protected Optional<Field> computeValue(Class<?> type) {
        return Optional.ofNullable(accessible(type, name));
      }
    };
  }

  private static Field accessible(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField(name);
        field.setAccessible(true);
        return field;
      } catch (NoSuchFieldException e) {
        // look in the superclass
      } catch (RuntimeException e) {
        return null; // not accessible
      }
    }
    return null;
  }

  private static Method literalMethod(ClassLoader loader) {
    try {
      return Class.forName("org.postgresql.core.ParameterList", false, loader)
          .getMethod("toString", int.class, boolean.class);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }
}
