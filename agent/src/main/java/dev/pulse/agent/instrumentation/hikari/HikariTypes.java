package dev.pulse.agent.instrumentation.hikari;

/** HikariCP's classes the instrumentations advise or read, by internal name and descriptor. */
final class HikariTypes {
  static final String POOL = "com/zaxxer/hikari/pool/HikariPool";
  static final String CONFIG_CLASS = "com/zaxxer/hikari/HikariConfig";
  static final String CONFIG = "L" + CONFIG_CLASS + ";";
  /** How the hooks take HikariCP's objects: they are HikariCP's, not the agent's, classes. */
  static final String OBJECT = "Ljava/lang/Object;";

  private HikariTypes() {
  }
}
