package dev.pulse.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.failSafe;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * One instrumentation ready to weave: its matchers made fail-safe (a type that cannot be fully
 * described is simply not matched) and its advice read from the agent's class files once, at its
 * first use, then shared by every class it is woven into (an {@link Advice} is immutable).
 */
final class Weaving {
  private final ElementMatcher<TypeDescription> types;
  private final ElementMatcher<MethodDescription> methods;
  private final String adviceClass;
  private volatile Advice advice;

  Weaving(Instrumentation instrumentation) {
    this.types = failSafe(instrumentation.types());
    this.methods = failSafe(instrumentation.methods());
    this.adviceClass = instrumentation.adviceClass();
  }

  boolean appliesTo(TypeDescription type) {
    return types.matches(type);
  }

  ElementMatcher<MethodDescription> methods() {
    return methods;
  }

  Advice advice() {
    Advice read = advice;
    if (read == null) {
      // two threads may read it at once; either result is the same advice
      read = Advice.to(AgentClasses.TYPES.describe(adviceClass).resolve(), AgentClasses.FILES);
      advice = read;
    }
    return read;
  }

  /** The agent's own class files, where the advice is read: opened by the first weaving. */
  private static final class AgentClasses {
    static final ClassFileLocator FILES = ClassFileLocator.ForClassLoader.of(
        Weaving.class.getClassLoader());
    static final TypePool TYPES = TypePool.Default.of(FILES);
  }
}
