package dev.pulse.agent.hosts;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads {@link dev.pulse.agent.hosts.isolated.RedeployedApp} with HikariCP and the driver in a
 * class loader of its own (as a servlet container loads a web application), runs it, lets go of
 * the loader and prints "loader collected" once the garbage collector freed it, or "loader still
 * reachable" after the deadline. Its own class path holds none of the application's libraries.
 *
 * <p>Arguments: JDBC URL, the deadline in seconds, the application's table, then the
 * application's class path entries.
 */
public final class RedeployHost {
  private static final String APP = "dev.pulse.agent.hosts.isolated.RedeployedApp";

  private RedeployHost() {
  }

  public static void main(String[] args) throws Exception {
    WeakReference<ClassLoader> loader = deployRunAndUndeploy(args);
    System.out.println("app undeployed");
    long undeployed = System.nanoTime();
    long deadline = undeployed + Long.parseLong(args[1]) * 1_000_000_000L;
    while (loader.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(100);
    }
    System.out.println(loader.get() == null ? "loader collected" : "loader still reachable");
    System.out.println("after " + (System.nanoTime() - undeployed) / 1_000_000 + " ms");
  }

  /** In a method of its own, so nothing of the application is left in main's frame. */
  private static WeakReference<ClassLoader> deployRunAndUndeploy(String[] args) throws Exception {
    URL[] urls = new URL[args.length - 3];
    for (int i = 3; i < args.length; i++) {
      urls[i - 3] = new File(args[i]).toURI().toURL();
    }
    URLClassLoader loader = new ApplicationLoader(urls, RedeployHost.class.getClassLoader());
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(loader); // as a container does while the application runs
    try {
      loader.loadClass(APP).getMethod("run", String.class, String.class)
          .invoke(null, args[0], args[2]);
    } finally {
      thread.setContextClassLoader(before);
    }
    loader.close();
    return new WeakReference<>(loader);
  }

  /** Loads the application's own package itself, even where its parent could (the test classes). */
  private static final class ApplicationLoader extends URLClassLoader {
    ApplicationLoader(URL[] urls, ClassLoader parent) {
      super("redeployed-app", urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("dev.pulse.agent.hosts.isolated.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        return loaded != null ? loaded : findClass(name);
      }
    }
  }
}
