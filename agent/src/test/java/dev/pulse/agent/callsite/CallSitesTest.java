package dev.pulse.agent.callsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallSitesTest {

  @Test
  void theFirstFramesOutsideDriversPoolsFrameworksAndTheAgent() {
    StackTraceElement[] stack = {
        new StackTraceElement("dev.pulse.agent.leaks.LeakDetector", "connectionBorrowed", "LeakDetector.java", 1),
        new StackTraceElement("dev.pulse.agent.instrumentation.Hooks", "acquireExit", "Hooks.java", 2),
        new StackTraceElement("com.zaxxer.hikari.HikariDataSource", "getConnection", "HikariDataSource.java", 3),
        new StackTraceElement("org.springframework.jdbc.datasource.DataSourceUtils", "doGetConnection", "DataSourceUtils.java", 4),
        new StackTraceElement("com.example.Repo$$SpringCGLIB$$0", "find", null, -1),
        new StackTraceElement("com.example.Repo", "find", "Repo.java", 42),
        new StackTraceElement("com.example.Service", "run", "Service.java", 7),
    };
    assertEquals(List.of("com.example.Repo.find(Repo.java:42)", "com.example.Service.run(Service.java:7)"),
        CallSites.of(stack));
  }

  @Test
  void anApplicationPackageUnderTheAgentsNameIsTheApplication() {
    assertTrue(CallSites.skipped("dev.pulse.agent.queries.QueryStats"));
    assertFalse(CallSites.skipped("dev.pulse.agent.hosts.QueryHost"));
    assertFalse(CallSites.skipped("dev.pulse.agent.callsiteapp.Main"));
  }
}
