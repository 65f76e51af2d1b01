package dev.pulse.agent.instrumentation;

import dev.pulse.log.PulseLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's one class file transformer. A class is looked at only when a class loader of the
 * application defines it, its name is neither the JDK's nor the agent's, and its class file
 * mentions one of a few names ({@link MentionFilter}); every other class costs a name check and a
 * byte scan. A class that passes is read from its class file (its supertypes from its loader's
 * class files: nothing is loaded for matching), matched, and woven with the advice that applies
 * ({@link ClassWeaver}) at once, beside the agent's start (its events wait for the features:
 * {@link HeldEvents}). A class file the agent's build already decided for ({@link PrewovenClasses}) is
 * neither parsed nor woven here. A failure leaves the class as it was.
 *
 * <p>The weaving is ASM's reader and writer and the agent's own weaver, some 40 classes loaded by
 * the first class that needs advice: an application that never uses JDBC never loads them. (A
 * general-purpose weaver's machinery, ByteBuddy's advice, type pool and type writer, was some 780
 * classes and most of the agent's start-up.)
 */
final class AdviceTransformer implements ClassFileTransformer {
  private static final PulseLog LOG = PulseLog.forComponent("instrumentation");
  /** Internal-name prefixes never changed: the JDK's and the agent's own classes. */
  private static final String[] IGNORED = {"java/", "javax/", "jdk/", "sun/", "com/sun/",
      "dev/pulse/"};

  private final MentionFilter mentions;
  private final List<Instrumentation> instrumentations;
  private final ClassFactsCache classes;
  private final PrewovenClasses prewoven;
  /** Set while this thread weaves: a class its weaving loads is left alone, never re-entered. */
  private final ThreadLocal<Boolean> weaving = new ThreadLocal<>();

  AdviceTransformer(MentionFilter mentions, List<Instrumentation> instrumentations,
      ClassFactsCache classes) {
    this(mentions, instrumentations, classes, PrewovenClasses.NONE);
  }

  AdviceTransformer(MentionFilter mentions, List<Instrumentation> instrumentations,
      ClassFactsCache classes, PrewovenClasses prewoven) {
    this.mentions = mentions;
    this.instrumentations = instrumentations;
    this.classes = classes;
    this.prewoven = prewoven;
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classFile) {
    if (!isCandidate(loader, className, classFile) || weaving.get() != null) {
      return null;
    }
    weaving.set(Boolean.TRUE);
    try {
      return weave(loader, className, classFile, classBeingRedefined != null);
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

  /** The class file of the class of that internal name as its loader holds it, or null. */
  byte[] classFile(ClassLoader loader, String className) {
    return classes.of(loader).classFile(className);
  }

  /** Whether some instrumentation applies to that loader's class, of that class file. */
  boolean applies(ClassLoader loader, String className, byte[] classFile) {
    ClassFactsCache.Loader classes = this.classes.of(loader);
    return classes.seesHooks() && !advised(classes.facts(className, classFile)).isEmpty();
  }

  private byte[] weave(ClassLoader loader, String className, byte[] classFile, boolean loaded) {
    byte[] known = prewoven.find(className, classFile);
    if (known == PrewovenClasses.UNCHANGED) {
      return null;
    }
    ClassFactsCache.Loader classes = this.classes.of(loader);
    Map<String, List<ClassWeaver.Woven>> advised =
        known != null ? null : advised(classes.facts(className, classFile));
    if (advised != null && advised.isEmpty()) {
      return null;
    }
    if (!classes.seesHooks()) {
      LOG.debug("left " + className + " unchanged: its class loader does not see the agent");
      return null;
    }
    byte[] woven = known != null ? known : ClassWeaver.weave(classFile, advised);
    if (LOG.isEnabled(PulseLog.Level.DEBUG)) {
      LOG.debug("instrumented " + className.replace('/', '.') + " "
          + (advised != null ? advised.keySet() : "(woven at the agent's build)")
          + (loaded ? " (retransformed)" : ""));
    }
    return woven;
  }

  /**
   * What the agent's build records for a class file ({@link PrewovenIndexWriter}): its woven
   * bytes, or null when no instrumentation applies. Whether a loader sees the hooks is asked when
   * the class loads.
   */
  byte[] wovenOrNull(ClassLoader loader, String className, byte[] classFile) {
    Map<String, List<ClassWeaver.Woven>> advised =
        advised(classes.of(loader).facts(className, classFile));
    return advised.isEmpty() ? null : ClassWeaver.weave(classFile, advised);
  }

  /** The methods of {@code type} that get advice, by name + descriptor, each with all it gets. */
  private Map<String, List<ClassWeaver.Woven>> advised(ClassFacts type) {
    Map<String, List<ClassWeaver.Woven>> advised = new HashMap<>();
    if (type.isInterface() || type.isSynthetic()) {
      return advised;
    }
    for (Instrumentation each : instrumentations) {
      // the methods first: most classes that pass the byte scan declare none an instrumentation
      // advises, and are then let go without their supertypes' class files being read (but
      // HikariCP's generated proxies, whose base classes the JDBC advice checks)
      List<MethodFacts> methods = new ArrayList<>();
      for (MethodFacts method : type.methods()) {
        if (method.hasBody() && each.advises(type, method)
            && AdviceWeaver.supports(each.advice(), method)) {
          methods.add(method);
        }
      }
      if (methods.isEmpty() || !each.appliesTo(type)) {
        continue;
      }
      for (MethodFacts method : methods) {
        advised.computeIfAbsent(method.name() + method.descriptor(), key -> new ArrayList<>())
            .add(new ClassWeaver.Woven(method, each.advice()));
      }
    }
    return advised;
  }
}
