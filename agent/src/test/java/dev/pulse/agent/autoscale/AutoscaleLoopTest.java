package dev.pulse.agent.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.agent.hikari.HikariPools;
import dev.pulse.agent.hikari.PoolDiscovery;
import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.agent.jdbc.PoolRegistry;
import dev.pulse.testing.FakeHikari;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sizer as a pool listener and a borrow listener, on a stand-in HikariCP pool. */
class AutoscaleLoopTest {
  private static final long MS = 1_000_000L;
  private final Hooks hooks = new Hooks();
  private final HikariPools pools = new HikariPools(hooks::keyOf, new PoolRegistry(ds -> "x"));
  private final PoolDiscovery discovery = new PoolDiscovery(pools, Runnable::run);
  /** Samples a slow borrow asks for, run when the test says (the sizer's thread, held). */
  private final List<Runnable> asked = new ArrayList<>();
  private final AutoscaleLoop sizer = new AutoscaleLoop(
      new SizerLimits(80, 20, 2, 4, 0, 2.0, 0), SizeBound.connections(1),
      SizeBound.multipleOfConfigured(4), 10, Set.of("left-alone"), 10 * MS, asked::add,
      Runnable::run);

  AutoscaleLoopTest() {
    discovery.add(sizer);
  }

  @Test
  void aSaturatedPoolGrowsToItsDemandAndAClosedOneIsLeftAlone() {
    FakeHikari.Config config = new FakeHikari.Config("busy", 4, 4);
    FakeHikari.Pool pool = new FakeHikari.Pool();
    pool.active = 4;
    pool.waiting = 3;
    discovery.poolSeen(pool, config);
    sizer.run();
    sizer.run();
    assertEquals(9, config.maximum, "demand 7 after two busy samples fills 9 to 80 %");
    discovery.poolClosed(pool, config);
    int resizes = config.resizes.get();
    for (int i = 0; i < 5; i++) {
      sizer.run();
    }
    assertEquals(resizes, config.resizes.get(), "a closed pool is not sized");
  }

  @Test
  void aPoolTheSettingsExcludeIsNeverSized() {
    FakeHikari.Config config = new FakeHikari.Config("left-alone", 4, 4);
    FakeHikari.Pool pool = new FakeHikari.Pool();
    pool.active = 4;
    pool.waiting = 3;
    discovery.poolSeen(pool, config);
    for (int i = 0; i < 5; i++) {
      sizer.run();
    }
    sizer.connectionAcquired(hooks.keyOf(config), 50 * MS, System.nanoTime(), null);
    assertEquals(0, config.resizes.get());
    assertEquals(List.of(), asked);
  }

  @Test
  void aBorrowThatWaitedLongHasItsPoolSampledAtOnceAndACrowdAsksOnce() {
    FakeHikari.Config config = new FakeHikari.Config("stepped", 5, 5);
    FakeHikari.Pool pool = new FakeHikari.Pool();
    pool.active = 5;
    pool.waiting = 15;
    discovery.poolSeen(pool, config);
    DataSourceKey key = hooks.keyOf(config);
    long now = System.nanoTime();

    sizer.connectionAcquired(key, 9 * MS, now, null);
    assertEquals(List.of(), asked, "a wait under autoscale.wait asks for nothing");
    for (int i = 0; i < 15; i++) {
      sizer.connectionAcquired(key, 40 * MS, now + i * MS, null);
    }
    assertEquals(1, asked.size(), "fifteen slow borrows within 100 ms: one sample");
    asked.get(0).run();
    asked.get(0).run(); // grow.after is 2 here: the second sample grows
    assertEquals(20, config.maximum, "demand 20 fills 25 to 80 %; the ceiling is 4 x 5");
    sizer.connectionAcquired(key, 40 * MS, now + 150 * MS, null);
    assertEquals(2, asked.size(), "100 ms later a slow borrow asks again");
  }
}
