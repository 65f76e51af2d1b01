package dev.pulse.agent.instrumentation;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** One instrumentation: which types, which methods, and the advice class woven into them. */
public interface Instrumentation {
  ElementMatcher<TypeDescription> types();

  ElementMatcher<MethodDescription> methods();

  /** Binary name of the advice class; it is read as a class file, never loaded for the host. */
  String adviceClass();
}
