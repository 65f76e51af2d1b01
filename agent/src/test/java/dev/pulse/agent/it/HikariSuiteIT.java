package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.testing.AgentProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * HikariCP's own test suite, without the agent and under it (scripts/hikari-suite.sh): every test
 * has the same outcome both ways. Its dev branch at the script's commit when HIKARI_SOURCES names a
 * checkout of it (GitHub is not reachable everywhere), else the 2.7.9 release from Debian's mirror.
 * Long (two runs of a JVM per test class): -Plong.
 */
@Tag("long")
class HikariSuiteIT {
  @Test
  void hikariCpsOwnTestsGiveTheSameResultsUnderTheAgent() throws Exception {
    Path root = new File(System.getProperty("user.dir")).toPath().resolve("..").normalize();
    Path log = Files.createTempFile("hikari-suite", ".log");
    ProcessBuilder script = new ProcessBuilder("bash", "scripts/hikari-suite.sh",
        System.getenv("HIKARI_SOURCES") != null ? "dev" : "2.7.9")
        .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    script.environment().put("PULSE_AGENT_JAR", AgentProcess.agentJar().toAbsolutePath().toString());
    Process process = script.start();
    if (!process.waitFor(60, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
    }
    assertEquals(0, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
