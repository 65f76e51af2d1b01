package dev.pulse.bench;

import java.lang.instrument.Instrumentation;

/**
 * An agent whose premain returns at once: what any {@code -javaagent} costs a JVM (its jar added
 * to the class path, the class path searched for its entry class), so that the start-up
 * benchmark can tell that part from Pulse's own.
 */
public final class DoNothingAgent {
  private DoNothingAgent() {
  }

  public static void premain(String args, Instrumentation instrumentation) {
  }
}
