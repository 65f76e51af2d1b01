package dev.pulse.agent.instrumentation;

import dev.pulse.log.PulseLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.function.Supplier;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's one class file transformer. A class is looked at only when a class loader of the
 * application defines it, its name is neither the JDK's nor the agent's, and its class file
 * mentions one of a few names ({@link MentionFilter}); every other class costs a name check and a
 * byte scan. A class that passes is described from its class file through a type pool (nothing is
 * loaded for matching), matched, and decorated with the advice that applies: advice only, inlined,
 * so the class format never changes and nothing is injected into the application's loaders. A
 * failure leaves the class as it was.
 *
 * <p>ByteBuddy's {@code AgentBuilder} is not used: at installation it generates and loads a
 * transformer class of its own with ByteBuddy's full class-making machinery, which was about half
 * of the agent's start-up, for features this agent does not use. ByteBuddy's weaving machinery is
 * loaded by the first class that needs advice: an application that never uses JDBC never loads it.
 */
final class AdviceTransformer implements ClassFileTransformer {
  private static final PulseLog LOG = PulseLog.forComponent("instrumentation");
  /** Internal-name prefixes never changed: the JDK's and the agent's own classes. */
  private static final String[] IGNORED = {"java/", "javax/", "jdk/", "sun/", "com/sun/",
      "dev/pulse/"};

  private final MentionFilter mentions;
  private final List<Weaving> weavings;
  /** Made at the first class looked at: nothing of ByteBuddy's is loaded before. */
  private final Supplier<AgentBuilder.PoolStrategy> typePools;
  /** Set while this thread weaves: a class its weaving loads is left alone, never re-entered. */
  private final ThreadLocal<Boolean> weaving = new ThreadLocal<>();

  AdviceTransformer(MentionFilter mentions, List<Weaving> weavings,
      Supplier<AgentBuilder.PoolStrategy> typePools) {
    this.mentions = mentions;
    this.weavings = weavings;
    this.typePools = typePools;
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classFile) {
    if (!isCandidate(loader, className, classFile) || weaving.get() != null) {
      return null;
    }
    weaving.set(Boolean.TRUE);
    try {
      return weave(loader, className.replace('/', '.'), classFile, classBeingRedefined != null);
    } catch (Throwable t) {
      LOG.debug("left " + className + " unchanged: " + t);
      return null;
    } finally {
      weaving.remove();
    }
  }

  /** Cheap, and true of every class the agent changes (and of few others). */
  boolean isCandidate(ClassLoader loader, String className, byte[] classFile) {
    return mayChange(loader, className) && classFile != null && mentions.mentionsAny(classFile);
  }

  /** By loader and name alone: false for the JDK's and the agent's classes, never changed. */
  boolean mayChange(ClassLoader loader, String className) {
    if (loader == null || className == null) {
      return false;
    }
    for (String prefix : IGNORED) {
      if (className.startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }

  /** Whether some instrumentation applies to the class of that name in that loader. */
  boolean applies(ClassLoader loader, String name) {
    TypeDescription type = typePools.get()
        .typePool(ClassFileLocator.ForClassLoader.of(loader), loader, name).describe(name).resolve();
    for (Weaving each : weavings) {
      if (each.appliesTo(type)) {
        return true;
      }
    }
    return false;
  }

  private byte[] weave(ClassLoader loader, String name, byte[] classFile, boolean loaded) {
    ClassFileLocator files = new ClassFileLocator.Compound(
        ClassFileLocator.Simple.of(name, classFile), ClassFileLocator.ForClassLoader.of(loader));
    TypePool types = typePools.get().typePool(files, loader, name);
    TypeDescription type = types.describe(name).resolve();
    if (type.isSynthetic()) {
      return null;
    }
    AsmVisitorWrapper.ForDeclaredMethods advice = null;
    for (Weaving each : weavings) {
      if (each.appliesTo(type)) {
        advice = (advice == null ? new AsmVisitorWrapper.ForDeclaredMethods() : advice)
            .invokable(each.methods(), each.advice());
      }
    }
    if (advice == null) {
      return null;
    }
    byte[] woven = Decorator.BYTE_BUDDY.decorate(type, files).visit(advice)
        .make(TypeResolutionStrategy.Disabled.INSTANCE, types).getBytes();
    if (LOG.isEnabled(PulseLog.Level.DEBUG)) {
      LOG.debug("instrumented " + name + (loaded ? " (retransformed)" : ""));
    }
    return woven;
  }

  /** Made when the first class is woven, not when the agent starts. */
  private static final class Decorator {
    // no class format change: advice is inlined into methods that exist, nothing is added
    static final ByteBuddy BYTE_BUDDY = new ByteBuddy().with(TypeValidation.DISABLED)
        .with(Implementation.Context.Disabled.Factory.INSTANCE);
  }
}
