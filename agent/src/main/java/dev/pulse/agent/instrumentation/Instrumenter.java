package dev.pulse.agent.instrumentation;

import dev.pulse.log.PulseLog;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs the instrumentations the way a production agent must: advice only (no new fields or
 * methods, so classes already loaded can be retransformed too), matching from class files instead
 * of loading classes, JDK and agent classes ignored up front, and a failed transformation leaving
 * the class as it was ({@link AdviceTransformer}).
 *
 * <p>In two steps, so that the thread loading the agent pays for one transformer only: {@link
 * #install} registers it there (no class loaded afterwards is missed), and the agent's start
 * thread, once the features listen, lets woven classes be defined ({@link #weave}) or says none
 * is ({@link #weaveNothing}). A class that needs advice and loads in between is woven at once and
 * waits for that.
 */
public final class Instrumenter {
  private static final PulseLog LOG = PulseLog.forComponent("instrumentation");
  private static final ClassFactsCache CLASSES = new ClassFactsCache();

  private final java.lang.instrument.Instrumentation instrumentation;
  private final AdviceTransformer transformer;
  private final WeavingGate gate;
  private final boolean retransformLoaded;

  private Instrumenter(java.lang.instrument.Instrumentation instrumentation,
      AdviceTransformer transformer, WeavingGate gate, boolean retransformLoaded) {
    this.instrumentation = instrumentation;
    this.transformer = transformer;
    this.gate = gate;
    this.retransformLoaded = retransformLoaded;
  }

  /**
   * @param mentions names (internal form, or a prefix of them) of which every class the
   *     instrumentations change mentions at least one in its class file; classes that mention none
   *     are skipped before they are parsed
   * @param retransformLoaded also instrument the classes loaded before now, at {@link #weave}:
   *     needed when attaching to a running JVM; at premain nothing of interest is loaded yet
   * @param prewoven take what the agent's build wove for the classes it knows
   *     ({@link PrewovenClasses}; the build used these same instrumentations and mentions)
   */
  public static Instrumenter install(java.lang.instrument.Instrumentation instrumentation,
      List<Instrumentation> instrumentations, List<String> mentions, boolean retransformLoaded,
      boolean prewoven) {
    WeavingGate gate = new WeavingGate();
    AdviceTransformer transformer = new AdviceTransformer(new MentionFilter(mentions),
        List.copyOf(instrumentations), gate, CLASSES,
        prewoven ? PrewovenClasses.inAgentJar() : PrewovenClasses.NONE);
    // Registered before the loaded classes are listed: a class loaded from now on is woven as it
    // loads, one loaded before is in the list; none falls between the two.
    instrumentation.addTransformer(transformer, retransformLoaded);
    return new Instrumenter(instrumentation, transformer, gate, retransformLoaded);
  }

  /** Woven classes are defined from now on, and when attaching the classes loaded before woven. */
  public void weave() {
    gate.open();
    if (retransformLoaded) {
      retransformLoaded();
    }
  }

  /** Weaves nothing (no-op after {@link #weave}): the transformer is removed. */
  public void weaveNothing() {
    gate.shut();
    if (!gate.await()) {
      instrumentation.removeTransformer(transformer);
    }
  }

  private void retransformLoaded() {
    List<Class<?>> matched = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      try {
        ClassLoader loader = type.getClassLoader();
        String internalName = type.getName().replace('.', '/');
        // the name first: a class file is read (once) only for a class the agent may change
        if (!transformer.mayChange(loader, internalName)
            || !instrumentation.isModifiableClass(type)) {
          continue;
        }
        byte[] classFile = transformer.classFile(loader, internalName);
        if (transformer.isCandidate(loader, internalName, classFile)
            && transformer.applies(loader, internalName, classFile)) {
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

  /**
   * Forgets the classes read. Called now and then: the cache pays off while an application loads
   * its classes, and must not keep discarded class loaders (a redeployed web application) or grow
   * with every class a long-running host ever loads.
   */
  public static void trimTypeCache() {
    CLASSES.trim();
  }
}
