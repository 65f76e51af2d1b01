package dev.pulse.agent.instrumentation;

/**
 * One instrumentation: which classes, which of their methods (matched on their class files, nothing
 * loaded), and the advice woven into them.
 */
public interface Instrumentation {
  boolean appliesTo(ClassFacts type);

  /** Of a class it applies to, whether this method (one with code) gets the advice. */
  boolean advises(ClassFacts type, MethodFacts method);

  Advice advice();
}
