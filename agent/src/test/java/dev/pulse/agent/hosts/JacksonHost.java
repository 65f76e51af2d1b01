package dev.pulse.agent.hosts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import java.util.Map;

/**
 * A host with its own (older) Jackson on the class path. It reports the Jackson it really runs
 * with, whether any of the agent's bundled libraries leak under their original names, and keeps
 * using its Jackson for the given seconds.
 */
public final class JacksonHost {
  private JacksonHost() {
  }

  public static void main(String[] args) throws Exception {
    // "stdin": until a line "quit" (or the end of input), so a test decides, whatever the machine's speed
    boolean untilQuit = args.length > 0 && args[0].equals("stdin");
    double seconds = args.length > 0 && !untilQuit ? Double.parseDouble(args[0]) : 5;
    java.util.concurrent.atomic.AtomicBoolean quit = new java.util.concurrent.atomic.AtomicBoolean();
    if (untilQuit) {
      Thread reader = new Thread(() -> {
        try {
          java.io.BufferedReader in = new java.io.BufferedReader(
              new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
          String line;
          while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
            // nothing else to do
          }
        } catch (java.io.IOException e) {
          // the end of input ends the host too
        }
        quit.set(true);
      });
      reader.setDaemon(true);
      reader.start();
    }
    System.out.println("host jackson " + PackageVersion.VERSION + " from "
        + ObjectMapper.class.getProtectionDomain().getCodeSource().getLocation());
    for (String name : new String[] {"org.java_websocket.WebSocket", "org.objectweb.asm.ClassReader",
        "org.slf4j.LoggerFactory"}) {
      System.out.println("host sees " + name + ": " + visible(name));
    }
    ObjectMapper mapper = new ObjectMapper();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int rounds = 0;
    while (untilQuit ? !quit.get() : System.nanoTime() < end) {
      String json = mapper.writeValueAsString(Map.of("round", rounds));
      if (mapper.readTree(json).get("round").asInt() != rounds) {
        throw new IllegalStateException("Jackson round trip broke: " + json);
      }
      if (++rounds == 1) {
        System.out.println("host made a round trip"); // a test quits only after one
      }
      Thread.sleep(10);
    }
    System.out.println("host finished after " + rounds + " round trips");
  }

  private static boolean visible(String className) {
    try {
      Class.forName(className);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
