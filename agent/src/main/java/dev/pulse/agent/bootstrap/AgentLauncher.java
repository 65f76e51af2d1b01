package dev.pulse.agent.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * The jar's entry points ({@code Premain-Class}, {@code Agent-Class}, {@code Main-Class}), loaded
 * by the system class loader: each creates the agent's own class loader (once per JVM, so a
 * second load or attach finds the running agent) and hands over to the agent's real entry point
 * through it. Nothing here names a class of the hidden part: the system class loader could not
 * resolve it.
 */
public final class AgentLauncher {
  private static AgentClassLoader loader;

  private AgentLauncher() {
  }

  public static void premain(String agentArgs, Instrumentation instrumentation) {
    startAgent("premain", agentArgs, instrumentation);
  }

  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    startAgent("agentmain", agentArgs, instrumentation);
  }

  /** {@code java -jar pulse-agent.jar ...}: the console client and live attach. */
  public static void main(String[] args) throws Throwable {
    ClassLoader agent = agentLoader();
    Thread.currentThread().setContextClassLoader(agent);
    Method main = agent.loadClass("dev.pulse.agent.cli.PulseCli").getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void startAgent(String entry, String agentArgs,
      Instrumentation instrumentation) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try {
      ClassLoader agent = agentLoader();
      // The threads the agent starts now inherit its loader as their context loader, so the
      // libraries' service lookups find the hidden part; the host's thread gets its own back.
      thread.setContextClassLoader(agent);
      agent.loadClass("dev.pulse.agent.PulseAgent")
          .getMethod(entry, String.class, Instrumentation.class)
          .invoke(null, agentArgs, instrumentation);
    } catch (Throwable t) {
      // PulseAgent reports its own failures; this is the jar itself being unreadable or broken
      System.err.println("[pulse] error agent: failed to start; the application runs without it ("
          + (t instanceof InvocationTargetException ? t.getCause() : t) + ")");
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static synchronized ClassLoader agentLoader() throws Exception {
    if (loader == null) {
      URL location = AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation();
      loader = new AgentClassLoader(new JarFile(new File(location.toURI()), false), location,
          AgentLauncher.class.getClassLoader());
    }
    return loader;
  }
}
