package dev.pulse.agent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Class facts read from class files, per class loader: the loader held weakly (a redeployed
 * application's loader must not wait for the next trim to be collected), the number of loaders and
 * of classes per loader bounded, and the whole forgotten now and then ({@link #trim}): the cache
 * pays off while an application loads its classes and must not grow with every class a
 * long-running host ever loads.
 */
final class ClassFactsCache {
  private static final int MAX_LOADERS = 1024;
  private static final int MAX_CLASSES_PER_LOADER = 4096;
  private volatile WeakIdentityTable<Loader> byLoader = newTable();

  /** The loader's view: its classes' facts, read through its resources. */
  Loader of(ClassLoader classLoader) {
    WeakIdentityTable<Loader> table = byLoader;
    Loader loader = table.get(classLoader);
    if (loader == null) {
      Loader made = new Loader(classLoader);
      loader = table.putIfAbsent(classLoader, made);
      return loader != null ? loader : made; // past the bound: read again next time
    }
    return loader;
  }

  void trim() {
    byLoader = newTable();
  }

  private static WeakIdentityTable<Loader> newTable() {
    return new WeakIdentityTable<>(MAX_LOADERS);
  }

  /** One class loader's classes. */
  static final class Loader {
    private static final String HOOKS = PulseHooks.class.getName().replace('.', '/') + ".class";

    private final WeakReference<ClassLoader> classLoader;
    private final Map<String, ClassFacts> read = new ConcurrentHashMap<>();
    /** Whether this loader sees the agent's hooks; null until asked. */
    private volatile Boolean seesHooks;

    Loader(ClassLoader classLoader) {
      this.classLoader = new WeakReference<>(classLoader);
    }

    /**
     * Whether this loader sees the agent's hooks (on the system class path). Code woven into the
     * classes of one that does not (an OSGi bundle's, a JBoss module's, any loader whose parent is
     * the platform loader) would fail to link at every call, an error made and thrown each time.
     */
    boolean seesHooks() {
      Boolean sees = seesHooks;
      if (sees == null) {
        ClassLoader loader = classLoader.get();
        try {
          sees = loader != null && loader.getResource(HOOKS) != null;
        } catch (RuntimeException e) {
          sees = false;
        }
        seesHooks = sees;
      }
      return sees;
    }

    /** The class of that internal name as this loader finds it, or null if it finds none. */
    ClassFacts facts(String internalName) {
      ClassFacts facts = read.get(internalName);
      if (facts != null) {
        return facts;
      }
      byte[] classFile = classFile(internalName);
      return classFile == null ? null : facts(internalName, classFile);
    }

    /** Facts of a class about to be defined, from the bytes the JVM hands over. */
    ClassFacts facts(String internalName, byte[] classFile) {
      ClassFacts facts = ClassFacts.read(classFile, this);
      if (read.size() < MAX_CLASSES_PER_LOADER) {
        read.put(internalName, facts);
      }
      return facts;
    }

    /** The class file as the loader's resources hold it, or null. */
    byte[] classFile(String internalName) {
      ClassLoader loader = classLoader.get();
      if (loader == null) {
        return null;
      }
      try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
        return in == null ? null : in.readAllBytes();
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
  }
}
