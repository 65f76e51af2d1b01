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
 * <p>Installed on the thread that loads the agent, which pays for the transformer only: from then
 * on a class that needs advice is woven as it loads, beside the agent's start, and its events
 * wait on their threads ({@link Hooks#hold}) until the start thread's features listen ({@link
 * #listen}), then go to all of them; so the host's start runs on beside the agent's until its
 * first JDBC event, and no event is lost. A start that ends with nothing listening (it failed)
 * says so ({@link #weaveNothing}): nothing more is woven, no event waits.
 */
public final class Instrumenter {
  private static final PulseLog LOG = PulseLog.forComponent("instrumentation");
  private static final ClassFactsCache CLASSES = new ClassFactsCache();

  private final java.lang.instrument.Instrumentation instrumentation;
  private final AdviceTransformer transformer;
  private final boolean retransformLoaded;
  /** Set by {@link #listen} on the start thread, read there by {@link #weaveNothing}. */
  private boolean listening;

  private Instrumenter(java.lang.instrument.Instrumentation instrumentation,
      AdviceTransformer transformer, boolean retransformLoaded) {
    this.instrumentation = instrumentation;
    this.transformer = transformer;
    this.retransformLoaded = retransformLoaded;
  }

  /**
   * Holds the hooks' events, then registers the transformer.
   *
   * @param mentions names (internal form, or a prefix of them) of which every class the
   *     instrumentations change mentions at least one in its class file; classes that mention none
   *     are skipped before they are parsed
   * @param retransformLoaded also instrument the classes loaded before now, at {@link #listen}:
   *     needed when attaching to a running JVM; at premain nothing of interest is loaded yet
   * @param prewoven take what the agent's build wove for the classes it knows
   *     ({@link PrewovenClasses}; the build used these same instrumentations and mentions)
   */
  public static Instrumenter install(java.lang.instrument.Instrumentation instrumentation,
      List<Instrumentation> instrumentations, List<String> mentions, boolean retransformLoaded,
      boolean prewoven) {
    PulseHooks.hooks().hold(new StartRelease(StartRelease.MAX_WAIT_NANOS, new GivenUp()));
    AdviceTransformer transformer = new AdviceTransformer(new MentionFilter(mentions),
        List.copyOf(instrumentations), CLASSES,
        prewoven ? PrewovenClasses.inAgentJar() : PrewovenClasses.NONE);
    // Registered before the loaded classes are listed: a class loaded from now on is woven as it
    // loads, one loaded before is in the list; none falls between the two.
    instrumentation.addTransformer(transformer, retransformLoaded);
    return new Instrumenter(instrumentation, transformer, retransformLoaded);
  }

  /**
   * The features listen: the events that waited go to them, later ones at once, and when
   * attaching the classes loaded before are woven now (no host thread waits for the features).
   */
  public void listen() {
    listening = true;
    PulseHooks.hooks().release(true);
    if (retransformLoaded) {
      retransformLoaded();
    }
  }

  /**
   * The start ends with nothing listening (it failed, or the settings read in full turned JDBC
   * off): no class is woven from now on, and no event waits. A no-op after {@link #listen}.
   */
  public void weaveNothing() {
    if (!listening) {
      PulseHooks.hooks().release(false);
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

  /** A class of its own, not a lambda: made on the host's thread at premain, kept cheap there. */
  private static final class GivenUp implements Runnable {
    @Override
    public void run() {
      LOG.warn("the agent's start has not finished in "
          + StartRelease.MAX_WAIT_NANOS / 1_000_000_000L + " s; its events meanwhile are not"
          + " recorded");
    }
  }
}
