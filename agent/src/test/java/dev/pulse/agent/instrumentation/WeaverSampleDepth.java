package dev.pulse.agent.instrumentation;

/** The calling thread's internal depth, for a woven class in a loader of its own (another package at run time). */
public final class WeaverSampleDepth {
  private WeaverSampleDepth() {
  }

  public static int now() {
    return PulseHooks.context().internalDepth;
  }
}
