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
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    System.out.println("host jackson " + PackageVersion.VERSION + " from "
        + ObjectMapper.class.getProtectionDomain().getCodeSource().getLocation());
    for (String name : new String[] {"org.java_websocket.WebSocket", "net.bytebuddy.ByteBuddy",
        "org.slf4j.LoggerFactory"}) {
      System.out.println("host sees " + name + ": " + visible(name));
    }
    ObjectMapper mapper = new ObjectMapper();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int rounds = 0;
    while (System.nanoTime() < end) {
      String json = mapper.writeValueAsString(Map.of("round", rounds));
      if (mapper.readTree(json).get("round").asInt() != rounds) {
        throw new IllegalStateException("Jackson round trip broke: " + json);
      }
      rounds++;
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
