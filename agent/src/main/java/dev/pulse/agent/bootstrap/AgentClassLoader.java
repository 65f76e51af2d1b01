package dev.pulse.agent.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent from the hidden part of its own jar: every class and resource except the few
 * the host's classes reach (the launcher, and the hooks woven advice calls: agent/pom.xml names
 * them) is stored under {@code inst/}, class files named {@code .classdata}, so that neither the
 * system class loader nor a tool scanning the class path sees ASM, Jackson or the features.
 * Looking a class up here reads one entry of one open jar; through the system class loader each
 * lookup first searched every jar of the host's class path.
 *
 * <p>Delegation: the agent's own classes first (nothing of the host's can shadow them); the
 * platform loader for the JDK; the system class loader for the visible part (the hooks woven
 * advice calls, which the agent's listeners implement, so both sides share one copy) and for the
 * few JDK modules defined to it ({@code jdk.attach}). The host's own classes are never reachable
 * from here: the agent touches them only through the objects and loaders it is handed.
 */
final class AgentClassLoader extends ClassLoader {
  private static final String HIDDEN = "inst/";
  private static final String CLASS_FILE = ".class";
  private static final String CLASS_DATA = ".classdata";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String jarUrl;
  private final ClassLoader visible;
  private final ProtectionDomain domain;
  private final Attributes mainAttributes;

  /**
   * @param jar the agent's jar, kept open for the JVM's life
   * @param location its URL: the code source of every class defined here (the console client
   *     finds the jar to attach with from it)
   * @param visible the loader of the jar's visible part: the system class loader
   */
  AgentClassLoader(JarFile jar, URL location, ClassLoader visible) throws IOException {
    super("pulse-agent", ClassLoader.getPlatformClassLoader());
    this.jar = jar;
    this.jarUrl = "jar:" + location + "!/";
    this.visible = visible;
    this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this,
        null);
    this.mainAttributes = jar.getManifest() == null ? new Attributes()
        : jar.getManifest().getMainAttributes();
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        JarEntry entry = jar.getJarEntry(HIDDEN + name.replace('.', '/') + CLASS_DATA);
        loaded = entry != null ? define(name, entry) : fromOutside(name);
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  private Class<?> fromOutside(String name) throws ClassNotFoundException {
    if (name.startsWith("dev.pulse.")) {
      return visible.loadClass(name); // the jar's visible part
    }
    try {
      return getParent().loadClass(name);
    } catch (ClassNotFoundException notPlatform) {
      ClassLoader jdkLoader = jdkModuleLoader(name);
      if (jdkLoader == null) {
        throw notPlatform;
      }
      return jdkLoader.loadClass(name);
    }
  }

  /** The loader of the JDK module holding the class's package, when not the platform's. */
  private static ClassLoader jdkModuleLoader(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    String pkg = name.substring(0, dot);
    for (Module module : ModuleLayer.boot().modules()) {
      if (module.getClassLoader() != null && module.getPackages().contains(pkg)) {
        return module.getClassLoader();
      }
    }
    return null;
  }

  private Class<?> define(String name, JarEntry entry) throws ClassNotFoundException {
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = read(in, entry.getSize());
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      definePackageOnce(name.substring(0, dot));
    }
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  /**
   * Into an array of the size the jar's directory gives: {@code readAllBytes} reads through a
   * buffer of its own and copies, twice a class's size and more allocated for each of the
   * hundreds of classes a start loads.
   */
  private static byte[] read(InputStream in, long size) throws IOException {
    if (size < 0 || size > Integer.MAX_VALUE - 8) {
      return in.readAllBytes();
    }
    byte[] bytes = new byte[(int) size];
    int read = in.readNBytes(bytes, 0, bytes.length);
    if (read != bytes.length || in.read() != -1) {
      throw new IOException("the jar's entry is not the size its directory says (" + size + ")");
    }
    return bytes;
  }

  /** With the jar's version, which the export reports as the instrumentation scope's. */
  private void definePackageOnce(String pkg) {
    if (getDefinedPackage(pkg) != null) {
      return;
    }
    try {
      definePackage(pkg, null, null, null,
          mainAttributes.getValue(Attributes.Name.IMPLEMENTATION_TITLE),
          mainAttributes.getValue(Attributes.Name.IMPLEMENTATION_VERSION),
          mainAttributes.getValue(Attributes.Name.IMPLEMENTATION_VENDOR), null);
    } catch (IllegalArgumentException definedMeanwhile) {
      // another thread defined it first: the same package
    }
  }

  /** Where a resource (a class file included) is stored in the jar's hidden part. */
  private static String hiddenName(String resource) {
    return HIDDEN + (resource.endsWith(CLASS_FILE)
        ? resource.substring(0, resource.length() - CLASS_FILE.length()) + CLASS_DATA : resource);
  }

  /**
   * A resource of this jar: from the hidden part, or for the agent's own names from the visible
   * part (the class files of the hooks, which the weaving reads as it reads the advice that names
   * them). Null when the jar has none.
   */
  private JarEntry entry(String name) {
    JarEntry hidden = jar.getJarEntry(hiddenName(name));
    if (hidden != null || !name.startsWith("dev/pulse/")) {
      return hidden;
    }
    return jar.getJarEntry(name);
  }

  @Override
  protected URL findResource(String name) {
    JarEntry entry = entry(name);
    if (entry == null) {
      return null;
    }
    try {
      return new URL(jarUrl + entry.getName());
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(
        Collections.singletonList(url));
  }

  /** Read from the open jar, without a URL connection (and its cache of jar files). */
  @Override
  public InputStream getResourceAsStream(String name) {
    JarEntry entry = entry(name);
    if (entry == null) {
      return super.getResourceAsStream(name);
    }
    try {
      return jar.getInputStream(entry);
    } catch (IOException e) {
      return null;
    }
  }
}
