package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakIdentityTableTest {
  @Test
  void keysAreComparedByIdentityNotEquality() {
    WeakIdentityTable<String> table = new WeakIdentityTable<>(64);
    String one = new String("same");
    String other = new String("same");
    table.put(one, "first");
    assertEquals("first", table.get(one));
    assertNull(table.get(other), "equal but not the same object");
    table.put(other, "second");
    assertEquals("first", table.get(one));
    table.remove(one);
    assertNull(table.get(one));
    assertEquals("second", table.get(other));
  }

  @Test
  void putReplacesAndPutIfAbsentKeeps() {
    WeakIdentityTable<String> table = new WeakIdentityTable<>(64);
    Object key = new Object();
    assertEquals("a", table.putIfAbsent(key, "a"));
    assertEquals("a", table.putIfAbsent(key, "b"));
    assertTrue(table.put(key, "c"));
    assertEquals("c", table.get(key));
    assertEquals(1, table.size());
  }

  @Test
  void manyKeysGrowTheTableAndRemovalsEmptyIt() {
    WeakIdentityTable<Integer> table = new WeakIdentityTable<>(1 << 16);
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      Object key = new Object();
      keys.add(key);
      assertTrue(table.put(key, i));
    }
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(i, table.get(keys.get(i)));
    }
    for (Object key : keys) {
      table.remove(key);
    }
    assertEquals(0, table.size());
  }

  @Test
  void pastItsCapacityAPutIsRefused() {
    WeakIdentityTable<Integer> table = new WeakIdentityTable<>(32); // 2 per segment
    List<Object> keys = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 1000; i++) {
      Object key = new Object();
      keys.add(key);
      if (!table.put(key, i)) {
        refused++;
        assertNull(table.get(key));
      }
    }
    assertTrue(table.size() <= 32, "size " + table.size());
    assertEquals(1000 - table.size(), refused);
  }

  @Test
  void aKeyTheApplicationDroppedIsNotHeld() throws Exception {
    WeakIdentityTable<Object> table = new WeakIdentityTable<>(1 << 16);
    for (int i = 0; i < 10_000; i++) {
      table.put(new Object(), "value " + i);
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (table.size() > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, table.size());
  }

  @Test
  void readersRacingWritersAlwaysFindLiveKeys() throws Exception {
    WeakIdentityTable<Object> table = new WeakIdentityTable<>(1 << 16);
    Object[] stable = new Object[1000];
    for (int i = 0; i < stable.length; i++) {
      stable[i] = new Object();
      table.put(stable[i], stable[i]);
    }
    Thread writer = new Thread(() -> {
      for (int i = 0; i < 200_000; i++) {
        Object key = new Object();
        table.put(key, key);
        table.remove(key);
      }
    });
    writer.start();
    boolean missed = false;
    while (writer.isAlive()) {
      for (Object key : stable) {
        missed |= table.get(key) != key;
      }
    }
    writer.join();
    assertFalse(missed, "a live key was missed while others were added and removed");
    assertSame(stable[0], table.get(stable[0]));
  }
}
