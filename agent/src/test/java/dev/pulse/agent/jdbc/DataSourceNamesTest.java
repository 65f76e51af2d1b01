package dev.pulse.agent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DataSourceNamesTest {
  @Test
  void aPoolIsKnownByItsPoolNameThenItsNameElseItsClass() {
    assertEquals("orders", DataSourceNames.of(new PoolNamed()));
    assertEquals("vibur-pool", DataSourceNames.of(new Named()));
    assertTrue(DataSourceNames.of(new Object()).startsWith("Object@"));
  }

  @Test
  void aNameGetterThatFailsOrSaysNothingIsPassedOver() {
    assertEquals("vibur-pool", DataSourceNames.of(new UnnamedPool()));
  }

  public static class PoolNamed {
    public String getPoolName() {
      return "orders";
    }

    public String getName() {
      return "not this";
    }
  }

  public static class Named {
    public String getName() {
      return "vibur-pool";
    }
  }

  /** Tomcat JDBC's DataSource before its pool exists. */
  public static class UnnamedPool {
    public String getPoolName() {
      throw new NullPointerException();
    }

    public String getName() {
      return "vibur-pool";
    }
  }
}
