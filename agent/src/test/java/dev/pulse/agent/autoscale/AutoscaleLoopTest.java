package dev.pulse.agent.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.agent.hikari.HikariPools;
import dev.pulse.agent.hikari.PoolDiscovery;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.agent.jdbc.PoolRegistry;
import dev.pulse.testing.FakeHikari;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sizer as a pool listener, on a stand-in HikariCP pool. */
class AutoscaleLoopTest {
  private final Hooks hooks = new Hooks();
  private final HikariPools pools = new HikariPools(hooks::keyOf, new PoolRegistry(ds -> "x"));
  private final PoolDiscovery discovery = new PoolDiscovery(pools, Runnable::run);
  private final AutoscaleLoop sizer = new AutoscaleLoop(
      new SizerLimits(80, 20, 2, 4, 25, 0, 2.0), SizeBound.connections(1),
      SizeBound.multipleOfConfigured(4), 10, Set.of("left-alone"), Runnable::run);

  AutoscaleLoopTest() {
    discovery.add(sizer);
  }

  @Test
  void aSaturatedPoolGrowsAndAClosedOneIsLeftAlone() {
    FakeHikari.Config config = new FakeHikari.Config("busy", 4, 4);
    FakeHikari.Pool pool = new FakeHikari.Pool();
    pool.active = 4;
    pool.waiting = 3;
    discovery.poolSeen(pool, config);
    sizer.run();
    sizer.run();
    assertEquals(5, config.maximum, "grown by a step after two busy samples");
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
    assertEquals(0, config.resizes.get());
  }
}
