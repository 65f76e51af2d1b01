package dev.pulse.agent.hikari;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import com.zaxxer.hikari.pulsetest.PoolWrapper;
import org.junit.jupiter.api.Test;

class ResizeReporterTest {
  @Test
  void hikariCpsOwnClassesAreToldByTheirJarNotTheirPackage() {
    assertTrue(ResizeReporter.isHikariCp(HikariDataSource.class, HikariConfig.class));
    assertTrue(ResizeReporter.isHikariCp(HikariPool.class, HikariConfig.class));
    assertFalse(ResizeReporter.isHikariCp(PoolWrapper.class, HikariConfig.class),
        "the application's class under com.zaxxer.hikari is not HikariCP's");
    assertFalse(ResizeReporter.isHikariCp(ResizeReporterTest.class, HikariConfig.class));
  }
}
