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
