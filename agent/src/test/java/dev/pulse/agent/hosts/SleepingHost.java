package dev.pulse.agent.hosts;

/**
 * A host that does nothing but live for the given seconds and say so, so a test can see it runs
 * unchanged under the agent: "host started", "host alive N", "host finished", exit code 0.
 */
public final class SleepingHost {
  private SleepingHost() {
  }

  public static void main(String[] args) throws InterruptedException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    System.out.println("host started");
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int beat = 0;
    while (System.nanoTime() < end) {
      Thread.sleep(200);
      System.out.println("host alive " + ++beat);
    }
    System.out.println("host finished");
  }
}
