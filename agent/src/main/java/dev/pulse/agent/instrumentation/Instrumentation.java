package dev.pulse.agent.instrumentation;

/**
 * One instrumentation: which classes, which of their methods (matched on their class files, nothing
 * loaded), and the advice woven into them.
 */
public interface Instrumentation {
  boolean appliesTo(ClassFacts type);

  /**
   * Whether this method (one with code) gets the advice, should the class be one this
   * instrumentation applies to: asked first, of any class, so it must not depend on that.
   */
  boolean advises(ClassFacts type, MethodFacts method);

  Advice advice();
}
