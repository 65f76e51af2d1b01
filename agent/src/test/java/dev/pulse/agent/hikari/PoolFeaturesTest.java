package dev.pulse.agent.hikari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.agent.jdbc.PoolMetrics;
import dev.pulse.agent.jdbc.PoolRegistry;
import dev.pulse.broadcaster.Event;
import dev.pulse.testing.FakeHikari;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pool discovery, pool statistics and resize reports as listeners, on a stand-in HikariCP pool:
 * each pool is announced once and let go of at shutdown, and each event is built from one
 * snapshot of the pool's figures.
 */
class PoolFeaturesTest {
  private final Hooks hooks = new Hooks();
  private final PoolRegistry registry = new PoolRegistry(ds -> "unused");
  private final HikariPools pools = new HikariPools(hooks::keyOf, registry);
  private final PoolDiscovery discovery = new PoolDiscovery(pools, Runnable::run);
  private final List<Event> events = new ArrayList<>();
  private final PoolFigures figures = new PoolFigures(10);
  private final FakeHikari.Config config = new FakeHikari.Config("fake-pool", 4, 2);
  private final FakeHikari.Pool pool = new FakeHikari.Pool();

  /** What the pool features heard. */
  private static final class Heard implements PoolListener {
    final List<String> found = new ArrayList<>();
    final List<String> closed = new ArrayList<>();

    @Override
    public void poolFound(HikariPoolHandle pool) {
      found.add(pool.name());
    }

    @Override
    public void poolClosed(HikariPoolHandle pool) {
      closed.add(pool.name());
    }
  }

  @Test
  void aPoolIsAnnouncedOnceAndForgottenAtShutdown() {
    Heard heard = new Heard();
    discovery.add(heard);
    discovery.poolSeen(pool, config);
    discovery.poolSeen(pool, config); // the housekeeper's next top-up
    assertEquals(List.of("fake-pool"), heard.found);
    PoolMetrics metrics = pools.byConfig(config).metrics();

    discovery.poolClosed(pool, config);
    assertEquals(List.of("fake-pool"), heard.closed);
    assertNull(pools.byConfig(config));
    assertTrue(pools.all().isEmpty());
    assertNotSame(metrics, registry.metricsFor(hooks.keyOf(config)), "its figures went with it");
  }

  @Test
  void poolStatsComeFromOneReadingOfThePool() {
    PoolStatsPublisher stats = new PoolStatsPublisher(pools, events::add, figures);
    discovery.add(stats);
    pool.active = 3;
    pool.idle = 2;
    pool.waiting = 1;
    pool.reads.set(0);
    discovery.poolSeen(pool, config);
    assertEquals(4, pool.reads.get(), "active, idle, total and waiting, each read once");
    Map<String, ?> data = events.get(0).data();
    assertEquals("pool_stats", events.get(0).type());
    assertEquals(5, data.get("pool_size"));
    assertEquals(3, data.get("active_connections"));
    assertEquals(75.0, data.get("utilization"));
    assertEquals(1, data.get("overflow_connections"));
    stats.run();
    assertEquals(2, events.size());
  }

  @Test
  void aResizeIsReportedWithItsFiguresAndBecomesTheConfiguredSize() {
    hooks.add(new ResizeReporter(pools, events::add, figures, Runnable::run));
    discovery.poolSeen(pool, config);
    config.maximum = 6;
    hooks.maximumPoolSizeChanged(config, 4, 6);
    hooks.maximumPoolSizeChanged(new FakeHikari.Config("not running", 1, 1), 1, 2);
    assertEquals(1, events.size(), "only the running pool's resize");
    Map<String, ?> data = events.get(0).data();
    assertEquals("pool_resized", events.get(0).type());
    assertEquals(4, data.get("old_size"));
    assertEquals(6, data.get("new_size"));
    assertEquals(6, data.get("maximum_pool_size"));
    assertEquals(6, pools.byConfig(config).configuredSize());
  }

  @Test
  void aFailedBorrowsContextIsThePoolsFiguresThen() {
    discovery.poolSeen(pool, config);
    pool.active = 4;
    pool.waiting = 7;
    java.util.function.Supplier<Map<String, Object>> later = pools.borrowContext(hooks.keyOf(config));
    pool.active = 0; // the borrow's moment is what is reported, not what came after
    Map<String, Object> context = later.get();
    assertEquals("fake-pool", context.get("pool_name"));
    assertEquals(4, context.get("active_connections"));
    assertEquals(4, context.get("maximum_pool_size"));
    assertEquals(7, context.get("threads_awaiting"));
    assertNull(pools.borrowContext(hooks.keyOf(new Object())));
  }
}
