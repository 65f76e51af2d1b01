package dev.pulse.agent.instrumentation;

import dev.pulse.log.PulseLog;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Installs the instrumentations the way a production agent must: advice only (no new fields or
 * methods, so classes already loaded can be retransformed too), matching from class files through
 * a type pool instead of loading classes, every matcher fail-safe, JDK and agent classes ignored
 * up front, and a failed transformation leaving the class as it was ({@link AdviceTransformer}).
 * Installing costs the calling thread one transformer: ByteBuddy's matchers and type pool are
 * made by the first class the agent looks at, its weaving machinery by the first that needs
 * advice.
 */
public final class Instrumenter {
  private static final PulseLog LOG = PulseLog.forComponent("instrumentation");
  /** Made by the first class the agent looks at, with ByteBuddy's type pool classes. */
  private static volatile TypeCache typeCache;

  private Instrumenter() {
  }

  /**
   * @param mentions names (internal form, or a prefix of them) of which every class the
   *     instrumentations change mentions at least one in its class file; classes that mention none
   *     are skipped before they are parsed
   * @param retransformLoaded also instrument classes loaded before now: needed when attaching to a
   *     running JVM; at premain nothing of interest is loaded yet
   */
  public static void install(java.lang.instrument.Instrumentation instrumentation,
      List<Instrumentation> instrumentations, List<String> mentions, boolean retransformLoaded) {
    // Safe mode: our ByteBuddy never touches sun.misc.Unsafe (JDK 24+ warns on the host's stderr
    // when it does), which advice inlining does not need. The shaded jar relocates this key to our
    // own namespace, so the host's ByteBuddy, if any, is unaffected.
    System.setProperty("net.bytebuddy.safe", "true");
    List<Weaving> weavings = new ArrayList<>(instrumentations.size());
    for (Instrumentation each : instrumentations) {
      weavings.add(new Weaving(each));
    }
    AdviceTransformer transformer =
        new AdviceTransformer(new MentionFilter(mentions), weavings, Instrumenter::typeCache);
    // Registered before the loaded classes are listed: a class loaded from now on is woven as it
    // loads, one loaded before is in the list; none falls between the two.
    instrumentation.addTransformer(transformer, retransformLoaded);
    if (retransformLoaded) {
      retransformLoaded(instrumentation, transformer);
    }
  }

  private static void retransformLoaded(java.lang.instrument.Instrumentation instrumentation,
      AdviceTransformer transformer) {
    List<Class<?>> matched = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      try {
        ClassLoader loader = type.getClassLoader();
        String internalName = type.getName().replace('.', '/');
        // the name first: a class file is read only for a class the agent may change
        if (transformer.mayChange(loader, internalName) && instrumentation.isModifiableClass(type)
            && transformer.isCandidate(loader, internalName, classFile(loader, type.getName()))
            && transformer.applies(loader, type.getName())) {
          matched.add(type);
        }
      } catch (Throwable t) {
        LOG.debug("left " + type.getName() + " unchanged: " + t);
      }
    }
    try {
      instrumentation.retransformClasses(matched.toArray(new Class<?>[0]));
    } catch (Throwable batch) {
      // one class the JVM refuses must not keep the others from being instrumented
      for (Class<?> type : matched) {
        try {
          instrumentation.retransformClasses(type);
        } catch (UnmodifiableClassException | RuntimeException | LinkageError t) {
          LOG.debug("left " + type.getName() + " unchanged: " + t);
        }
      }
    }
  }

  private static byte[] classFile(ClassLoader loader, String name) throws java.io.IOException {
    ClassFileLocator.Resolution found = ClassFileLocator.ForClassLoader.of(loader).locate(name);
    return found.isResolved() ? found.resolve() : null;
  }

  /**
   * Forgets the parsed type descriptions. Called now and then: the cache pays off while an
   * application loads its classes, and must not keep discarded class loaders (a redeployed
   * web application) or grow with every class a long-running host ever loads.
   */
  public static void trimTypeCache() {
    TypeCache cache = typeCache;
    if (cache != null) {
      cache.trim();
    }
  }

  private static AgentBuilder.PoolStrategy typeCache() {
    TypeCache cache = typeCache;
    if (cache == null) {
      synchronized (Instrumenter.class) {
        cache = typeCache;
        if (cache == null) {
          cache = new TypeCache();
          typeCache = cache;
        }
      }
    }
    return cache;
  }

  /**
   * Parsed type descriptions per class loader, the loader held weakly (a redeployed application's
   * loader must not wait for the next trim to be collected) and the number of loaders bounded.
   */
  private static final class TypeCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {
    private static final int MAX_LOADERS = 1024;
    private final TypePool.CacheProvider bootstrap = new TypePool.CacheProvider.Simple();
    private volatile WeakIdentityTable<TypePool.CacheProvider> byLoader = newTable();

    TypeCache() {
      super(TypePool.Default.ReaderMode.FAST);
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader classLoader) {
      if (classLoader == null) {
        return bootstrap;
      }
      WeakIdentityTable<TypePool.CacheProvider> table = byLoader;
      TypePool.CacheProvider cache = table.get(classLoader);
      if (cache == null) {
        TypePool.CacheProvider made = new TypePool.CacheProvider.Simple();
        cache = table.putIfAbsent(classLoader, made);
        return cache != null ? cache : made; // past the bound: parsed again next time
      }
      return cache;
    }

    void trim() {
      bootstrap.clear();
      byLoader = newTable();
    }

    private static WeakIdentityTable<TypePool.CacheProvider> newTable() {
      return new WeakIdentityTable<>(MAX_LOADERS);
    }
  }
}
