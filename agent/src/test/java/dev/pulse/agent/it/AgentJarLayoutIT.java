package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.hosts.VisibilityHost;
import dev.pulse.testing.AgentProcess;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

/**
 * The agent jar's two parts. The visible part (what the system class loader finds: the launcher
 * and the hooks woven advice calls) must resolve from any loader that loads a JDBC driver, so it
 * may name only the JDK's classes and its own; a reference to ASM or a feature there would fail in
 * the host, silently (woven calls swallow their failures). Everything else is hidden under
 * {@code inst/} with class files renamed, out of the host's loaders' and class-path scanners' sight.
 */
class AgentJarLayoutIT {
  private static final String HIDDEN = "inst/";
  private static final Duration WAIT = Duration.ofMinutes(2);

  @Test
  void theVisiblePartIsTheLauncherAndTheHooksAndNamesNothingHidden() throws Exception {
    try (JarFile jar = new JarFile(AgentProcess.agentJar().toFile())) {
      Set<String> visible = new TreeSet<>();
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (name.endsWith(".class")) {
          assertTrue(!name.startsWith(HIDDEN), "a class file in the hidden part: " + name);
          visible.add(name.substring(0, name.length() - ".class".length()));
        }
      }
      assertTrue(visible.contains("dev/pulse/agent/bootstrap/AgentLauncher"), visible.toString());
      assertTrue(visible.contains("dev/pulse/agent/instrumentation/PulseHooks"), visible.toString());
      assertTrue(visible.contains("dev/pulse/agent/instrumentation/CallContext"), visible.toString());
      for (String name : visible) {
        assertTrue(name.startsWith("dev/pulse/agent/bootstrap/")
            || name.startsWith("dev/pulse/agent/instrumentation/")
            && name.indexOf('/', "dev/pulse/agent/instrumentation/".length()) < 0,
            "only the launcher and the hooks are visible: " + name);
      }
      assertTrue(visible.size() < 30, "the visible part stays small: " + visible);

      List<String> unresolvable = new ArrayList<>();
      for (String name : visible) {
        for (String used : typesNamedBy(jar, name + ".class")) {
          if (!visible.contains(used) && !isPlatformClass(used)) {
            unresolvable.add(name + " -> " + used);
          }
        }
      }
      assertEquals(List.of(), unresolvable,
          "the visible part names classes the system class loader cannot give it");
    }
  }

  @Test
  void everythingElseIsHiddenWithClassFilesRenamed() throws Exception {
    try (JarFile jar = new JarFile(AgentProcess.agentJar().toFile())) {
      for (String hidden : List.of("dev/pulse/agent/PulseAgent",
          "dev/pulse/agent/instrumentation/Instrumenter",
          "dev/pulse/agent/instrumentation/AdviceWeaver",
          "dev/pulse/agent/instrumentation/jdbc/ExecuteInstrumentation",
          "dev/pulse/shaded/asm/ClassReader",
          "dev/pulse/shaded/jackson/databind/ObjectMapper",
          "dev/pulse/shaded/websocket/server/WebSocketServer")) {
        assertNotNull(jar.getJarEntry(HIDDEN + hidden + ".classdata"), hidden);
        assertEquals(null, jar.getJarEntry(hidden + ".class"), hidden + " visible");
      }
      // what the build decided for the tested libraries' class files (PrewovenClasses)
      String index = "dev/pulse/agent/instrumentation/prewoven/index";
      assertNotNull(jar.getJarEntry(HIDDEN + index), index);
      assertEquals(null, jar.getJarEntry(index), index + " visible");
      assertEquals("dev.pulse.agent.bootstrap.AgentLauncher",
          jar.getManifest().getMainAttributes().getValue("Premain-Class"));
      assertEquals("dev.pulse.agent.bootstrap.AgentLauncher",
          jar.getManifest().getMainAttributes().getValue("Agent-Class"));
      assertEquals("dev.pulse.agent.bootstrap.AgentLauncher",
          jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

  @Test
  void theApplicationsClassLoaderSeesTheHooksAndNothingElseOfTheAgent() throws Exception {
    List<String> hidden = List.of("dev.pulse.agent.PulseAgent",
        "dev.pulse.agent.instrumentation.Instrumenter",
        "dev.pulse.shaded.asm.ClassReader",
        "dev.pulse.shaded.jackson.databind.ObjectMapper",
        "dev/pulse/agent/dashboard/DashboardServer.class",
        "META-INF/services/dev.pulse.shaded.slf4j.spi.SLF4JServiceProvider");
    List<String> visible = List.of("dev.pulse.agent.instrumentation.PulseHooks",
        "dev.pulse.agent.instrumentation.CallContext");
    List<String> names = new ArrayList<>(hidden);
    names.addAll(visible);
    try (AgentProcess host = AgentProcess.start("port=0,dashboard.port=0", List.of(),
        AgentProcess.hostClasses(), VisibilityHost.class.getName(),
        names.toArray(new String[0]))) {
      for (String name : hidden) {
        host.awaitLine(Pattern.compile("^hidden " + Pattern.quote(name) + "$"), WAIT);
      }
      for (String name : visible) {
        host.awaitLine(Pattern.compile("^visible " + Pattern.quote(name) + "$"), WAIT);
      }
    }
  }

  /** Every class a class file refers to: its constant pool, descriptors and signatures. */
  private static Set<String> typesNamedBy(JarFile jar, String entry) throws Exception {
    Set<String> named = new TreeSet<>();
    try (InputStream in = jar.getInputStream(jar.getJarEntry(entry))) {
      new ClassReader(in).accept(new ClassRemapper(new ClassWriter(0), new Remapper() {
        @Override
        public String map(String internalName) {
          named.add(internalName);
          return internalName;
        }
      }), 0);
    }
    return named;
  }

  /** Reachable from the platform class loader, as from every loader that delegates to it. */
  private static boolean isPlatformClass(String internalName) {
    try {
      Class.forName(internalName.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
