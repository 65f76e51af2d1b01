package dev.pulse.agent.hosts;

/**
 * A host that does nothing but live for the given seconds and say so, so a test can see it runs
 * unchanged under the agent: "host started", "host alive N", "host finished", exit code 0. With
 * "stdin" instead of seconds it lives until a line "quit" (or the end of its input): a test then
 * decides when it ends, whatever the machine's speed.
 */
public final class SleepingHost {
  private SleepingHost() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("stdin")) {
      System.out.println("host started");
      java.io.BufferedReader in = new java.io.BufferedReader(
          new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
        System.out.println("host alive");
      }
      System.out.println("host finished");
      return;
    }
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
