package dev.pulse.agent.hikari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.agent.jdbc.PoolRegistry;
import dev.pulse.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * A pool is announced once however often it is seen (its constructor, its first borrow, every run
 * of its housekeeper), and never again once the application closed it. A real HikariCP pool.
 */
class HikariPoolsTest {
  @Test
  void aPoolIsNewOnceAndAClosedPoolIsNotFoundAgain() throws Exception {
    HikariPools pools = new HikariPools(new Hooks()::keyOf, new PoolRegistry(ds -> "ds"));
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(TestDatabase.jdbcUrl());
    config.setPoolName("seen");
    config.setMaximumPoolSize(2);
    HikariDataSource dataSource = new HikariDataSource(config);
    Object pool = dataSource.getHikariPoolMXBean();

    HikariPoolHandle found = pools.register(pool, dataSource);
    assertNotNull(found);
    assertEquals("seen", found.name());
    assertNull(pools.register(pool, dataSource), "seen again by the housekeeper");
    assertNull(pools.registerDataSource(dataSource), "seen again at a borrow");
    assertSame(found, pools.byName("seen"));

    dataSource.close();
    assertTrue(pools.all().isEmpty(), "a closed pool is forgotten");
    assertNull(pools.register(pool, dataSource), "a last top-up racing the shutdown");
    assertNull(pools.byName("seen"));
  }
}
