package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.AgentProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The built agent jar carries the export's libraries relocated, and the service file the OTLP
 * exporter finds its sender by is renamed and rewritten with them: a shade step without the
 * services transformer would leave the exporter with no sender. Both sit in the jar's hidden part
 * ({@code inst/}, class files named {@code .classdata}), which the agent's own loader reads.
 */
class ShadedExportJarIT {
  private static final String HIDDEN = "inst/";

  @Test
  void theSenderServiceFileIsRelocatedAndNamesAClassInTheJar() throws Exception {
    try (JarFile jar = new JarFile(AgentProcess.agentJar().toFile())) {
      JarEntry services = jar.getJarEntry(
          HIDDEN + "META-INF/services/dev.pulse.shaded.otel.sdk.common.export.HttpSenderProvider");
      assertNotNull(services, "the relocated HttpSenderProvider service file");
      List<String> providers;
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(
          jar.getInputStream(services), StandardCharsets.UTF_8))) {
        providers = reader.lines().map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#")).collect(Collectors.toList());
      }
      assertEquals(List.of("dev.pulse.shaded.otel.exporter.sender.jdk.internal.JdkHttpSenderProvider"),
          providers, "the JDK HttpClient sender only (no OkHttp)");
      assertNotNull(jar.getJarEntry(HIDDEN + providers.get(0).replace('.', '/') + ".classdata"));

      List<String> outside = new ArrayList<>();
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        name = name.startsWith(HIDDEN) ? name.substring(HIDDEN.length()) : name;
        if ((name.endsWith(".class") || name.endsWith(".classdata")) && !name.startsWith("dev/pulse/")) {
          outside.add(name);
        }
        assertTrue(!name.contains("okhttp") && !name.contains("kotlin"), "OkHttp or Kotlin: " + name);
        if (name.startsWith("META-INF/services/") && !name.endsWith("/")) {
          assertTrue(name.startsWith("META-INF/services/dev.pulse."), "a service file not relocated: " + name);
        }
      }
      assertEquals(List.of(), outside, "classes outside dev/pulse (not relocated)");
    }
  }
}
