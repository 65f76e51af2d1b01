package dev.pulse.agent.instrumentation;

/** Methods of shapes the weaver must keep verifiable: loops, handlers, wide values, overwritten arguments. */
public class WeaverSample {
  public boolean built;

  public WeaverSample() {
    built = true;
  }

  /** The call depth the advice set, seen from inside the method. */
  public int depthDuring(int times, long wide, String text) {
    int sum = 0;
    for (int i = 0; i < times; i++) {
      try {
        sum += text.length();
      } catch (RuntimeException e) {
        sum--;
      }
    }
    wide = sum; // arguments overwritten: the exit must not depend on them
    text = null;
    return WeaverSampleDepth.now() + (wide == sum && text == null ? 0 : 100);
  }

  public void fails(String message) {
    throw new IllegalStateException(message);
  }

  public long wide(long a, double b) {
    return a + (long) b;
  }

  /** Starts with a branch target: the method's own first frame is at its first instruction. */
  public int countDown(int from) {
    while (from > 0) {
      from--;
    }
    return from;
  }
}
