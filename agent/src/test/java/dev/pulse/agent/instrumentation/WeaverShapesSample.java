package dev.pulse.agent.instrumentation;

/** javac's shapes beyond WeaverSample's: static, synchronized, wide arguments, finally, switch. */
public class WeaverShapesSample {
  private final Object lock = new Object();
  public String kept;

  public WeaverShapesSample() {
    this(true);
  }

  public WeaverShapesSample(boolean flag) {
    super();
    if (!flag) {
      kept = "early";
      return;
    }
    kept = flag ? "yes" : "no";
  }

  /** An object built from a conditional: an uninitialized value on the stack across a branch. */
  public Object built(boolean which) {
    return new StringBuilder(which ? "a" : "b");
  }

  public static long mix(long a, double b, int c, String d) {
    return a + (long) b + c + (d == null ? 0 : d.length());
  }

  public synchronized int locked(int x) {
    if (x < 0) {
      throw new IllegalArgumentException("negative");
    }
    return x * 2;
  }

  public int block(int x) {
    synchronized (lock) {
      if (x == 0) {
        return 0;
      }
      return x + 1;
    }
  }

  public String finallyReturns(int x) {
    try {
      switch (x) {
        case 0:
          return "zero";
        case 1:
          return "one";
        default:
          throw new IllegalStateException("other");
      }
    } finally {
      kept = "finally";
    }
  }
}
