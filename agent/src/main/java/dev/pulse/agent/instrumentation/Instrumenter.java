package dev.pulse.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.failSafe;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.pulse.log.PulseLog;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the instrumentations with ByteBuddy the way a production agent must: advice only (no
 * new fields or methods, so classes already loaded can be retransformed too), matching from class
 * files through a type pool instead of loading classes, every matcher fail-safe, JDK and agent
 * classes ignored up front, and a failed transformation leaving the class as it was.
 */
public final class Instrumenter {
  private static final PulseLog LOG = PulseLog.forComponent("instrumentation");
  private static final TypeCache TYPE_CACHE = new TypeCache();

  private Instrumenter() {
  }

  /**
   * @param mentions names (internal form, or a prefix of them) of which every class the
   *     instrumentations change mentions at least one in its class file; classes that mention none
   *     are skipped before ByteBuddy parses them
   * @param retransformLoaded also instrument classes loaded before now: needed when attaching to a
   *     running JVM; at premain nothing of interest is loaded yet, and skipping the scan of every
   *     loaded class saves most of the start-up cost
   */
  public static void install(java.lang.instrument.Instrumentation instrumentation,
      List<Instrumentation> instrumentations, List<String> mentions, boolean retransformLoaded) {
    // Safe mode: our ByteBuddy never touches sun.misc.Unsafe (JDK 24+ warns on the host's stderr
    // when it does), which advice inlining does not need. The shaded jar relocates this key to our
    // own namespace, so the host's ByteBuddy, if any, is unaffected.
    System.setProperty("net.bytebuddy.safe", "true");
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        // Advice only: the class is decorated (its methods' code visited) without ByteBuddy
        // building its method graph from every supertype, most of a transformation's cost.
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        // advice is inlined: no helper class is ever injected into a host loader
        .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        // Matching reads each loaded class's supertypes from class files: keep what was read, per
        // class loader, so java.lang.Object & co. are parsed once, not once per loaded class.
        .with(TYPE_CACHE)
        .with(new FailureListener())
        .with(transformer -> new MentionFilter(transformer, mentions))
        .ignore(any(), isBootstrapClassLoader())
        .or(nameStartsWith("java.").or(nameStartsWith("javax.")).or(nameStartsWith("jdk."))
            .or(nameStartsWith("sun.")).or(nameStartsWith("com.sun."))
            .or(nameStartsWith("dev.pulse.")).or(nameStartsWith("net.bytebuddy."))
            .or(isSynthetic()));
    if (retransformLoaded) {
      builder = builder.with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
          .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE);
    }
    AgentBuilder.Identified.Extendable extendable = null;
    for (Instrumentation each : instrumentations) {
      AgentBuilder.Transformer transformer = new AgentBuilder.Transformer.ForAdvice()
          .include(Instrumenter.class.getClassLoader())
          .advice(failSafe(each.methods()), each.adviceClass());
      extendable = (extendable == null ? builder : extendable)
          .type(failSafe(each.types()))
          .transform(transformer);
    }
    if (extendable != null) {
      extendable.installOn(instrumentation);
    }
  }

  /**
   * Forgets the parsed type descriptions. Called now and then: the cache pays off while an
   * application loads its classes, and must not keep discarded class loaders (a redeployed
   * web application) or grow with every class a long-running host ever loads.
   */
  public static void trimTypeCache() {
    TYPE_CACHE.trim();
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

  /** A class we could not transform stays as it was; say so at debug level only. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module,
        boolean loaded, Throwable throwable) {
      LOG.debug("left " + typeName + " unchanged: " + throwable);
    }

    @Override
    public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader,
        JavaModule module, boolean loaded, net.bytebuddy.dynamic.DynamicType dynamicType) {
      if (LOG.isEnabled(PulseLog.Level.DEBUG)) {
        LOG.debug("instrumented " + typeDescription.getName() + (loaded ? " (retransformed)" : ""));
      }
    }
  }
}
