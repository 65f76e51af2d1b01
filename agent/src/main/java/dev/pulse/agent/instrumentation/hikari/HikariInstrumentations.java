package dev.pulse.agent.instrumentation.hikari;

import dev.pulse.agent.instrumentation.Instrumentation;
import java.util.List;

/** Every HikariCP instrumentation. */
public final class HikariInstrumentations {
  private HikariInstrumentations() {
  }

  public static List<Instrumentation> all() {
    return List.of(new HikariPoolInstrumentation(), new PoolFillInstrumentation(),
        new PoolShutdownInstrumentation(), new MaximumPoolSizeInstrumentation());
  }
}
