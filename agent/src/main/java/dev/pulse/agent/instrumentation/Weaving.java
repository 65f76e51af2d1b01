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
 * described is simply not matched) and its advice read from the agent's class files once, both at
 * their first use (the first class the agent looks at: ByteBuddy's matchers are not loaded on the
 * host's start-up thread before then), then shared by every class it is woven into (an
 * {@link Advice} is immutable).
 */
final class Weaving {
  private final Instrumentation instrumentation;
  private volatile Matchers matchers;
  private volatile Advice advice;

  Weaving(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  boolean appliesTo(TypeDescription type) {
    return matchers().types.matches(type);
  }

  ElementMatcher<MethodDescription> methods() {
    return matchers().methods;
  }

  private Matchers matchers() {
    Matchers made = matchers;
    if (made == null) {
      // two threads may make them at once; either result matches the same
      made = new Matchers(failSafe(instrumentation.types()), failSafe(instrumentation.methods()));
      matchers = made;
    }
    return made;
  }

  Advice advice() {
    Advice read = advice;
    if (read == null) {
      // two threads may read it at once; either result is the same advice
      read = Advice.to(AgentClasses.TYPES.describe(instrumentation.adviceClass()).resolve(),
          AgentClasses.FILES);
      advice = read;
    }
    return read;
  }

  private static final class Matchers {
    final ElementMatcher<TypeDescription> types;
    final ElementMatcher<MethodDescription> methods;

    Matchers(ElementMatcher<TypeDescription> types, ElementMatcher<MethodDescription> methods) {
      this.types = types;
      this.methods = methods;
    }
  }

  /** The agent's own class files, where the advice is read: opened by the first weaving. */
  private static final class AgentClasses {
    static final ClassFileLocator FILES = ClassFileLocator.ForClassLoader.of(
        Weaving.class.getClassLoader());
    static final TypePool TYPES = TypePool.Default.of(FILES);
  }
}
