package dev.pulse.agent.instrumentation.hikari;

import static dev.pulse.agent.instrumentation.Advice.argument;
import static dev.pulse.agent.instrumentation.Advice.call;
import static dev.pulse.agent.instrumentation.Advice.entered;
import static dev.pulse.agent.instrumentation.Advice.field;
import static dev.pulse.agent.instrumentation.Advice.self;
import static dev.pulse.agent.instrumentation.Advice.thrown;

import dev.pulse.agent.instrumentation.Advice;
import dev.pulse.agent.instrumentation.ClassFacts;
import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.MethodFacts;

/**
 * {@code HikariConfig.setMaximumPoolSize(int)}: HikariCP resizes a running pool through it (the
 * data source is its own config MXBean) and fires no callback, so this is the one place that sees
 * every resize, whoever makes it. Reports the size before and after, once the set succeeded.
 */
public final class MaximumPoolSizeInstrumentation implements Instrumentation {
  private static final Advice ADVICE = Advice.onEnter(field("maxPoolSize", "I"))
      .onExit(call("maximumPoolSizeSet", "V", self(), entered(0), argument(0, "I"), thrown()));

  @Override
  public boolean appliesTo(ClassFacts type) {
    return type.name().equals(HikariTypes.CONFIG_CLASS);
  }

  @Override
  public boolean advises(ClassFacts type, MethodFacts method) {
    return method.isNamed("setMaximumPoolSize") && method.descriptor().equals("(I)V");
  }

  @Override
  public Advice advice() {
    return ADVICE;
  }
}
