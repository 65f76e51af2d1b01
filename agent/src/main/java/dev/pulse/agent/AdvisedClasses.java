package dev.pulse.agent;

import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.hikari.HikariInstrumentations;
import dev.pulse.agent.instrumentation.jdbc.JdbcInstrumentations;
import java.util.ArrayList;
import java.util.List;

/** What the agent weaves: every instrumentation, and a name each class they change mentions. */
final class AdvisedClasses {
  /**
   * A JDBC implementation names java.sql types in what it implements or declares (the methods
   * advised take or return them, or throw SQLException); a HikariCP class names its own package.
   */
  static final List<String> MENTION = List.of("java/sql/", "com/zaxxer/hikari/");

  private AdvisedClasses() {
  }

  static List<Instrumentation> instrumentations() {
    List<Instrumentation> all = new ArrayList<>(JdbcInstrumentations.all());
    all.addAll(HikariInstrumentations.all());
    return all;
  }
}
