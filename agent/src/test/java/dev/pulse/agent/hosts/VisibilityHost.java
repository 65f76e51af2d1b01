package dev.pulse.agent.hosts;

/**
 * Says which of the named classes and resources its own class loader (the system class loader,
 * which the agent's jar is appended to) can find: "visible NAME" or "hidden NAME", then lives
 * until its input ends, so a test reads every line while the process is still there. A name with
 * a '/' is a resource, any other a class (looked up without initializing it).
 */
public final class VisibilityHost {
  private VisibilityHost() {
  }

  public static void main(String[] args) throws java.io.IOException {
    ClassLoader loader = VisibilityHost.class.getClassLoader();
    for (String name : args) {
      boolean found;
      if (name.indexOf('/') >= 0) {
        found = loader.getResource(name) != null;
      } else {
        try {
          Class.forName(name, false, loader);
          found = true;
        } catch (ClassNotFoundException e) {
          found = false;
        }
      }
      System.out.println((found ? "visible " : "hidden ") + name);
    }
    while (System.in.read() >= 0) {
      // until the test lets go
    }
  }
}
