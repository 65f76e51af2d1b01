package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pulse.agent.instrumentation.hikari.HikariInstrumentations;
import dev.pulse.agent.instrumentation.jdbc.JdbcInstrumentations;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Weaves every class of real drivers and pools (from the local Maven repository) as the agent
 * would, defines each in a child-first loader and initializes it, so the JVM verifies it.
 */
class WeaveRealJarsTest {
  private static final String[] JARS = {
      "com/zaxxer/HikariCP/6.3.0/HikariCP-6.3.0.jar",
      "com/zaxxer/HikariCP/5.1.0/HikariCP-5.1.0.jar",
      "com/zaxxer/HikariCP/7.1.0/HikariCP-7.1.0.jar",
      "org/postgresql/postgresql/42.7.8/postgresql-42.7.8.jar",
      "com/h2database/h2/2.3.232/h2-2.3.232.jar",
      "org/springframework/spring-jdbc/6.2.12/spring-jdbc-6.2.12.jar"};

  @Test
  void everyWovenClassVerifies() throws Exception {
    List<Instrumentation> all = new ArrayList<>(JdbcInstrumentations.all());
    all.addAll(HikariInstrumentations.all());
    List<String> failures = new ArrayList<>();
    int wovenCount = 0;
    for (String jar : JARS) {
      Path path = Path.of(System.getProperty("user.home"), ".m2/repository", jar);
      if (!Files.exists(path)) {
        continue;
      }
      AdviceTransformer transformer = new AdviceTransformer(
          new MentionFilter(List.of("java/sql/", "com/zaxxer/hikari/")), all,
          new ClassFactsCache());
      Map<String, byte[]> classes = new HashMap<>();
      try (JarFile file = new JarFile(path.toFile())) {
        for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          if (entry.getName().endsWith(".class") && !entry.getName().contains("-")
              && !entry.getName().startsWith("META-INF")) {
            try (var in = file.getInputStream(entry)) {
              classes.put(entry.getName().replace(".class", ""), in.readAllBytes());
            }
          }
        }
      }
      ChildFirst loader = new ChildFirst(path.toFile(), classes);
      List<String> woven = new ArrayList<>();
      for (Map.Entry<String, byte[]> each : classes.entrySet()) {
        byte[] result = transformer.transform(loader, each.getKey(), null, null, each.getValue());
        if (result != null) {
          loader.woven.put(each.getKey().replace('/', '.'), result);
          woven.add(each.getKey());
        }
      }
      wovenCount += woven.size();
      System.out.println(jar + ": " + woven.size() + " classes woven");
      for (String name : woven) {
        try {
          Class.forName(name.replace('/', '.'), true, loader);
        } catch (VerifyError | ClassFormatError e) {
          failures.add(jar + " " + name + ": " + e);
        } catch (Throwable e) {
          if (e.toString().contains("Verify")) {
            failures.add(jar + " " + name + ": " + e);
          }
        }
      }
    }
    failures.forEach(System.out::println);
    assertTrue(failures.isEmpty(), failures.size() + " failed: " + failures);
    assumeTrue(wovenCount > 0, "none of the jars is in the local Maven repository");
  }

  static final class ChildFirst extends URLClassLoader {
    final Map<String, byte[]> woven = new HashMap<>();
    private final Map<String, byte[]> own;

    ChildFirst(File jar, Map<String, byte[]> own) throws Exception {
      super(new URL[] {jar.toURI().toURL()}, WeaveRealJarsTest.class.getClassLoader());
      this.own = own;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      String internal = name.replace('.', '/');
      if (own.containsKey(internal)) {
        synchronized (getClassLoadingLock(name)) {
          Class<?> found = findLoadedClass(name);
          if (found == null) {
            byte[] bytes = woven.getOrDefault(name, own.get(internal));
            found = defineClass(name, bytes, 0, bytes.length);
          }
          return found;
        }
      }
      return super.loadClass(name, resolve);
    }
  }
}
