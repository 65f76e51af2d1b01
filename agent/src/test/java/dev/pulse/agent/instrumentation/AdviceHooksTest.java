package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.hikari.HikariInstrumentations;
import dev.pulse.agent.instrumentation.jdbc.JdbcInstrumentations;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/**
 * Every call the instrumentations weave names a public static method of PulseHooks with the
 * parameter and return types the woven code passes and expects: a mismatch would fail to link in
 * the host, silently (the woven call's catch-all), and measure nothing.
 */
class AdviceHooksTest {
  @Test
  void everyWovenCallIsAHookOfThatDescriptor() {
    List<Instrumentation> all = new ArrayList<>(JdbcInstrumentations.all());
    all.addAll(HikariInstrumentations.all());
    Set<String> hooks = new TreeSet<>();
    for (Method method : PulseHooks.class.getDeclaredMethods()) {
      if (Modifier.isPublic(method.getModifiers()) && Modifier.isStatic(method.getModifiers())) {
        hooks.add(method.getName() + Type.getMethodDescriptor(method));
      }
    }
    int calls = 0;
    for (Instrumentation each : all) {
      Advice advice = each.advice();
      List<Advice.Value> woven = new ArrayList<>(advice.enter);
      if (advice.exit != null) {
        woven.add(advice.exit);
      }
      for (Advice.Value value : woven) {
        calls += checkCalls(advice, value, hooks, each);
      }
    }
    assertTrue(calls >= 25, calls + " calls");
  }

  private static int checkCalls(Advice advice, Advice.Value value, Set<String> hooks,
      Instrumentation owner) {
    int calls = 0;
    if (value.kind == Advice.Value.Kind.CALL) {
      String hook = value.name + advice.hookDescriptor(value);
      assertTrue(hooks.contains(hook), owner.getClass().getSimpleName() + " calls " + hook
          + ", not among " + hooks);
      calls++;
    }
    for (Advice.Value argument : value.arguments) {
      calls += checkCalls(advice, argument, hooks, owner);
    }
    return calls;
  }

  @Test
  void anEnteredValueHasTheTypeOfItsStep() {
    Advice advice = Advice.onEnter(Advice.context(),
        Advice.call("statementEnter", "J", Advice.entered(0)));
    assertEquals(Advice.CALL_CONTEXT, advice.descriptor(Advice.entered(0)));
    assertEquals("J", advice.descriptor(Advice.entered(1)));
    assertEquals("(" + Advice.CALL_CONTEXT + ")J", advice.hookDescriptor(advice.enter.get(1)));
  }
}
