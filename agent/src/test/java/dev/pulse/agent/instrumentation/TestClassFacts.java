package dev.pulse.agent.instrumentation;

/** Class facts of the test class path's classes, as the transformer reads them. */
public final class TestClassFacts {
  private static final ClassFactsCache CACHE = new ClassFactsCache();

  private TestClassFacts() {
  }

  /** @param name a binary name: {@code com.zaxxer.hikari.pool.HikariProxyConnection} */
  public static ClassFacts of(String name) {
    ClassFacts facts = CACHE.of(TestClassFacts.class.getClassLoader()).facts(name.replace('.', '/'));
    if (facts == null) {
      throw new IllegalArgumentException("no class file for " + name);
    }
    return facts;
  }
}
