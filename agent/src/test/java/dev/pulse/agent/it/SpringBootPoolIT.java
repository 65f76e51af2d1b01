package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.spring.SpringBootHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import dev.pulse.testing.SpringBootJar;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A pool made by Spring Boot's auto-configuration is found and counted, with nothing of Pulse's in the host. */
class SpringBootPoolIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static final String[] HOST_ARGUMENTS = {
      "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
      "--spring.datasource.hikari.pool-name=spring-pool",
      "--spring.main.web-application-type=none", "--spring.main.banner-mode=off"};

  private static List<Path> springLibraries() {
    return libraries(System.getProperty("pulse.spring.libs", "target/spring-host-libs"));
  }

  private static List<Path> libraries(String folder) {
    File[] jars = new File(folder).listFiles((dir, name) -> name.endsWith(".jar"));
    List<Path> libraries = new ArrayList<>();
    for (File jar : jars) {
      libraries.add(jar.toPath());
    }
    return libraries;
  }

  @Test
  void springBootsAutoConfiguredPoolIsFoundAndCounted() throws Exception {
    List<String> classpath = new ArrayList<>();
    classpath.add(AgentProcess.hostClasses());
    springLibraries().forEach(jar -> classpath.add(jar.toString()));
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",pool.interval=1s", List.of(),
        String.join(File.pathSeparator, classpath), SpringBootHost.class.getName(), HOST_ARGUMENTS)) {
      expectCountedPool(host, port);
    }
  }

  /** The same application packed as Spring Boot packs it: nested jars, Spring Boot's loader. */
  @Test
  void anExecutableJarIsFoundAndCountedThroughSpringBootsClassLoader() throws Exception {
    Path classes = Paths.get(AgentProcess.hostClasses());
    Path hostClass = classes.resolve(SpringBootHost.class.getName().replace('.', '/') + ".class");
    Path jar = SpringBootJar.build(Paths.get("target/spring-host.jar"),
        Paths.get(AgentProcess.compatLib("spring-boot-loader-3.")), classes, List.of(hostClass),
        SpringBootHost.class.getName(), springLibraries());
    int port = AgentProcess.freePort();
    // woven as they load, through Spring Boot's loader: its HikariCP is one the jar carries woven
    try (AgentProcess host = AgentProcess.startJar("port=" + port + ",pool.interval=1s"
        + ",jdbc.prewoven=false", jar, HOST_ARGUMENTS)) {
      expectCountedPool(host, port);
    }
  }

  /** Spring Boot 4 (HikariCP 7 with it), packed as its build plugin packs it. */
  @Test
  void aSpringBoot4ExecutableJarIsFoundAndCounted() throws Exception {
    Path classes = Paths.get(AgentProcess.hostClasses());
    Path hostClass = classes.resolve(SpringBootHost.class.getName().replace('.', '/') + ".class");
    List<Path> libraries = libraries(System.getProperty("pulse.spring4.libs", "target/spring4-host-libs"));
    assertTrue(libraries.stream().anyMatch(jar -> jar.getFileName().toString().startsWith("spring-boot-4."))
        && libraries.stream().anyMatch(jar -> jar.getFileName().toString().startsWith("HikariCP-7.")),
        "Spring Boot 4 with HikariCP 7: " + libraries);
    Path jar = SpringBootJar.build(Paths.get("target/spring4-host.jar"),
        Paths.get(AgentProcess.compatLib("spring-boot-loader-4.")), classes, List.of(hostClass),
        SpringBootHost.class.getName(), libraries);
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.startJar("port=" + port + ",pool.interval=1s", jar,
        HOST_ARGUMENTS)) {
      expectCountedPool(host, port);
    }
  }

  private static void expectCountedPool(AgentProcess host, int port) throws Exception {
    try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("found HikariCP pool spring-pool"), WAIT);
      host.awaitLine(Pattern.compile("^spring host datasource com.zaxxer.hikari.HikariDataSource$"), WAIT);
      host.awaitLine(Pattern.compile("^spring host ran 25 statements \\(sum 300\\)$"), WAIT);
      JsonNode stats = client.await(m -> "pool_stats".equals(m.path("type").asText())
          && "spring-pool".equals(m.path("data").path("pool_name").asText())
          && m.path("data").path("total_queries").asLong() == 25, WAIT);
      assertEquals(0, stats.get("data").get("failed_queries").asLong());
      host.stdin().write("quit\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      host.stdin().flush();
      assertEquals(0, host.awaitExit(WAIT), host.output());
      host.awaitLine(Pattern.compile("^spring host finished$"), Duration.ZERO);
    }
  }
}
