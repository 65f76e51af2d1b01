package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Weaves advice (the hooks that mark the thread's internal work, whose depth the test reads) into
 * {@link WeaverSample}'s methods and runs the woven class in a loader of its own, where the JVM
 * verifies it: a wrong stack map frame fails there as it would in the host.
 */
class ClassWeaverTest {
  private static final Advice AROUND = Advice.onEnter(Advice.call("enterInternal", "V"))
      .onExit(Advice.call("exitInternal", "V"));

  @Test
  void theAdviceRunsAroundTheMethodAndItsResultIsKept() throws Exception {
    Object sample = woven(AROUND, m -> !m.isConstructor()).getConstructor().newInstance();
    int before = WeaverSampleDepth.now();
    assertEquals(before + 1, call(sample, "depthDuring", 3, 7L, "abc"));
    assertEquals(before + 1, call(sample, "depthDuring", 2, 7L, null)); // the method's own handler
    assertEquals(before, WeaverSampleDepth.now());
    assertEquals(42L, call(sample, "wide", 40L, 2.5d));
    assertEquals(0, call(sample, "countDown", 5));
    assertEquals(before, WeaverSampleDepth.now());
  }

  @Test
  void aSecondAdviceIsWovenAroundTheFirst() throws Exception {
    Object sample = woven(List.of(AROUND, AROUND), m -> !m.isConstructor()).getConstructor()
        .newInstance();
    int before = WeaverSampleDepth.now();
    assertEquals(before + 2, call(sample, "depthDuring", 3, 7L, "abc"));
    assertEquals(before, WeaverSampleDepth.now());
    InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
        () -> sample.getClass().getMethod("fails", String.class).invoke(sample, "boom"));
    assertSame(IllegalStateException.class, thrown.getCause().getClass());
    assertEquals(before, WeaverSampleDepth.now(), "both exits ran");
  }

  @Test
  void whatTheMethodThrowsIsThrownAfterTheExit() throws Exception {
    Object sample = woven(AROUND, m -> m.name().equals("fails")).getConstructor().newInstance();
    int before = WeaverSampleDepth.now();
    InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
        () -> sample.getClass().getMethod("fails", String.class).invoke(sample, "boom"));
    assertSame(IllegalStateException.class, thrown.getCause().getClass());
    assertEquals("boom", thrown.getCause().getMessage());
    assertEquals(before, WeaverSampleDepth.now(), "the exit ran");
  }

  @Test
  void aConstructorsExitRunsOnceTheObjectIsBuilt() throws Exception {
    Advice built = Advice.onEnter().onReturn(Advice.call("enterInternal", "V"));
    Class<?> type = woven(built, MethodFacts::isConstructor);
    int before = WeaverSampleDepth.now();
    Object sample = type.getConstructor().newInstance();
    try {
      assertEquals(before + 1, WeaverSampleDepth.now());
      assertTrue(type.getField("built").getBoolean(sample));
    } finally {
      PulseHooks.exitInternal();
    }
  }

  @Test
  void aHookTheClassCannotLinkLeavesTheMethodRunningAsItWould() throws Exception {
    Advice missing = Advice.onEnter(Advice.call("noSuchHook", "V"))
        .onExit(Advice.call("noSuchHookEither", "V", Advice.thrown()));
    Object sample = woven(missing, m -> !m.isConstructor()).getConstructor().newInstance();
    assertEquals(42L, call(sample, "wide", 40L, 2.5d));
    assertEquals(WeaverSampleDepth.now(), call(sample, "depthDuring", 1, 0L, "x"));
    InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
        () -> sample.getClass().getMethod("fails", String.class).invoke(sample, "boom"));
    assertSame(IllegalStateException.class, thrown.getCause().getClass());
  }

  private static Object call(Object target, String name, Object... arguments) throws Exception {
    for (Method method : target.getClass().getMethods()) {
      if (method.getName().equals(name)) {
        return method.invoke(target, arguments);
      }
    }
    throw new NoSuchMethodException(name);
  }

  /** WeaverSample with {@code advice} in the methods {@code which} takes, in a loader of its own. */
  private static Class<?> woven(Advice advice, Predicate<MethodFacts> which) throws Exception {
    return woven(List.of(advice), which);
  }

  /** The same with every advice of {@code advices}, the first innermost. */
  private static Class<?> woven(List<Advice> advices, Predicate<MethodFacts> which)
      throws Exception {
    String name = WeaverSample.class.getName();
    byte[] classFile;
    try (InputStream in = WeaverSample.class.getResourceAsStream("WeaverSample.class")) {
      classFile = in.readAllBytes();
    }
    ClassFacts facts = TestClassFacts.of(name);
    Map<String, List<ClassWeaver.Woven>> advised = new HashMap<>();
    for (MethodFacts method : facts.methods()) {
      if (which.test(method)) {
        List<ClassWeaver.Woven> all = new java.util.ArrayList<>();
        for (Advice advice : advices) {
          all.add(new ClassWeaver.Woven(method, advice));
        }
        advised.put(method.name() + method.descriptor(), all);
      }
    }
    byte[] woven = ClassWeaver.weave(classFile, advised);
    ClassLoader own = new ClassLoader(ClassWeaverTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        if (className.equals(name)) {
          synchronized (getClassLoadingLock(className)) {
            Class<?> defined = findLoadedClass(className);
            return defined != null ? defined : defineClass(className, woven, 0, woven.length);
          }
        }
        return super.loadClass(className, resolve);
      }
    };
    return Class.forName(name, true, own);
  }
}
