package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.PrewovenBuild;
import dev.pulse.agent.instrumentation.hikari.HikariInstrumentations;
import dev.pulse.agent.instrumentation.jdbc.JdbcInstrumentations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The verdicts the build records for real jars give what weaving the same class files as they load
 * gives, and a class file that differs, or whose supertypes are in another jar, is woven as before.
 */
class PrewovenClassesTest {
  private static final List<String> MENTIONS = List.of("java/sql/", "com/zaxxer/hikari/");
  @TempDir
  Path directory;

  @Test
  void indexedClassFilesGetWhatWeavingThemAsTheyLoadGives() throws Exception {
    // as the build makes it: the agent's own instrumentations and mentions, which must be these
    List<Path> jars = libraries();
    List<String> arguments = new ArrayList<>(List.of(directory.toString()));
    jars.forEach(jar -> arguments.add(jar.toString()));
    PrewovenBuild.main(arguments.toArray(new String[0]));
    PrewovenClasses index = fromDirectory();
    assertTrue(index.size() > 400, index.size() + " class files recorded");
    assertSameAsWovenAsTheyLoad(index, jars);
  }

  /**
   * Every class file of the jars gets from a transformer with the index what one without it gives,
   * and every entry of the index is found.
   */
  private static void assertSameAsWovenAsTheyLoad(PrewovenClasses index, List<Path> jars)
      throws IOException {
    // the same class file may be in two jars
    Set<Map.Entry<String, PrewovenClasses.Fingerprint>> found = new HashSet<>();
    int woven = 0;
    for (Path jar : jars) {
      Map<String, byte[]> classes = classFiles(jar);
      try (JarFirst loader = new JarFirst(jar)) {
        AdviceTransformer asTheyLoad = transformer(PrewovenClasses.NONE);
        AdviceTransformer prewoven = transformer(index);
        for (Map.Entry<String, byte[]> each : classes.entrySet()) {
          String name = each.getKey();
          byte[] expected = asTheyLoad.transform(loader, name, null, null, each.getValue());
          byte[] actual = prewoven.transform(loader, name, null, null, each.getValue());
          if (expected == null) {
            assertNull(actual, name);
          } else {
            assertArrayEquals(expected, actual, name);
            woven++;
          }
          if (index.find(name, each.getValue()) != null) {
            found.add(Map.entry(name, PrewovenClasses.Fingerprint.of(each.getValue())));
          }
        }
      }
    }
    assertEquals(index.size(), found.size(), "every recorded class file is found by its bytes");
    assertTrue(woven >= 40, woven + " classes woven"); // HikariCP's pool and proxies, three times
  }

  @Test
  void aClassFileThatDiffersIsNotFound() throws Exception {
    Path jar = jar("own.jar", Map.of("x/OwnDataSource", dataSource("x/OwnDataSource",
        "java/lang/Object", "javax/sql/DataSource")));
    PrewovenIndexWriter.write(directory, instrumentations(), MENTIONS, List.of(jar));
    PrewovenClasses index = fromDirectory();
    byte[] classFile = classFiles(jar).get("x/OwnDataSource");
    byte[] woven = index.find("x/OwnDataSource", classFile);
    assertNotNull(woven);
    assertTrue(woven.length > classFile.length, "woven");
    byte[] changed = classFile.clone();
    changed[changed.length - 3] ^= 1; // same length, another checksum
    assertNull(index.find("x/OwnDataSource", changed));
    assertNull(index.find("x/OtherDataSource", classFile));
  }

  @Test
  void aClassWhoseSupertypeIsInAnotherJarIsLeftOut() throws Exception {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    classes.put("x/OwnDataSource", dataSource("x/OwnDataSource", "java/lang/Object",
        "javax/sql/DataSource"));
    // whether it is a DataSource depends on y/Base, which this jar does not hold
    classes.put("x/AppDataSource", dataSource("x/AppDataSource", "y/Base", null));
    Path jar = jar("app.jar", classes);
    assertEquals(1, PrewovenIndexWriter.write(directory, instrumentations(), MENTIONS,
        List.of(jar)));
    PrewovenClasses index = fromDirectory();
    assertNull(index.find("x/AppDataSource", classes.get("x/AppDataSource")));
    assertNotNull(index.find("x/OwnDataSource", classes.get("x/OwnDataSource")));
  }

  @Test
  void aClassFileDecidedDifferentlyInTwoJarsIsLeftOut() throws Exception {
    // the same x/SubSource, a DataSource through x/Base in one jar and not in the other
    byte[] sub = dataSource("x/SubSource", "x/Base", null);
    Path one = jar("one.jar", Map.of("x/SubSource", sub,
        "x/Base", dataSource("x/Base", "java/lang/Object", "javax/sql/DataSource")));
    Path other = jar("other.jar", Map.of("x/SubSource", sub,
        "x/Base", dataSource("x/Base", "java/lang/Object", "java/lang/Runnable")));
    PrewovenIndexWriter.write(directory, instrumentations(), MENTIONS, List.of(one, other));
    assertNull(fromDirectory().find("x/SubSource", sub));
    PrewovenIndexWriter.write(directory, instrumentations(), MENTIONS, List.of(one, one));
    assertNotNull(fromDirectory().find("x/SubSource", sub), "the same verdict twice is kept");
  }

  @Test
  void wovenBytesNotAsRecordedAreNotHandedOver() throws Exception {
    Path jar = jar("own.jar", Map.of("x/OwnDataSource", dataSource("x/OwnDataSource",
        "java/lang/Object", "javax/sql/DataSource")));
    PrewovenIndexWriter.write(directory, instrumentations(), MENTIONS, List.of(jar));
    byte[] classFile = classFiles(jar).get("x/OwnDataSource");
    assertNotNull(fromDirectory().find("x/OwnDataSource", classFile));
    Path woven = directory.resolve(PrewovenClasses.wovenName(0));
    byte[] bytes = Files.readAllBytes(woven);
    Files.write(woven, Arrays.copyOf(bytes, bytes.length / 2)); // a damaged jar
    assertNull(fromDirectory().find("x/OwnDataSource", classFile));
  }

  @Test
  void anUnreadableIndexIsNoIndex() {
    PrewovenClasses garbage = new PrewovenClasses(
        name -> new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
    assertNull(garbage.find("x/OwnDataSource", new byte[] {1}));
    PrewovenClasses missing = new PrewovenClasses(name -> null);
    assertNull(missing.find("x/OwnDataSource", new byte[] {1}));
    assertNull(PrewovenClasses.NONE.find("x/OwnDataSource", new byte[] {1}));
  }

  /** The jars the build records (agent/pom.xml copies them before the tests). */
  private static List<Path> libraries() throws IOException {
    String directory = System.getProperty("pulse.prewoven.libs");
    assertNotNull(directory, "pulse.prewoven.libs is not set: run the test with Maven");
    List<Path> jars = new ArrayList<>();
    try (var files = Files.list(Path.of(directory))) {
      files.filter(file -> file.toString().endsWith(".jar")).sorted().forEach(jars::add);
    }
    assertTrue(jars.size() >= 5, "the build's five jars in " + directory + ": " + jars);
    return jars;
  }

  private PrewovenClasses fromDirectory() {
    return new PrewovenClasses(name -> {
      try {
        return Files.newInputStream(directory.resolve(name));
      } catch (IOException e) {
        return null;
      }
    });
  }

  private static AdviceTransformer transformer(PrewovenClasses index) {
    return new AdviceTransformer(new MentionFilter(MENTIONS), instrumentations(),
        new ClassFactsCache(), index);
  }

  private static List<Instrumentation> instrumentations() {
    List<Instrumentation> all = new ArrayList<>(JdbcInstrumentations.all());
    all.addAll(HikariInstrumentations.all());
    return all;
  }

  private static Map<String, byte[]> classFiles(Path jar) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        String name = entry.getName();
        if (name.endsWith(".class") && !name.startsWith("META-INF/")
            && !name.endsWith("module-info.class")) {
          try (InputStream in = file.getInputStream(entry)) {
            classes.put(name.substring(0, name.length() - 6), in.readAllBytes());
          }
        }
      }
    }
    return classes;
  }

  private Path jar(String name, Map<String, byte[]> classes) throws IOException {
    Path jar = directory.resolve(name);
    try (OutputStream raw = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(raw)) {
      for (Map.Entry<String, byte[]> each : classes.entrySet()) {
        out.putNextEntry(new JarEntry(each.getKey() + ".class"));
        out.write(each.getValue());
        out.closeEntry();
      }
    }
    return jar;
  }

  /** A class with a constructor and {@code public Connection getConnection()} returning null. */
  private static byte[] dataSource(String name, String superName, String anInterface) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, name, null, superName,
        anInterface == null ? null : new String[] {anInterface});
    MethodVisitor constructor = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    constructor.visitCode();
    constructor.visitVarInsn(Opcodes.ALOAD, 0);
    constructor.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", "()V", false);
    constructor.visitInsn(Opcodes.RETURN);
    constructor.visitMaxs(0, 0);
    constructor.visitEnd();
    MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC, "getConnection",
        "()Ljava/sql/Connection;", null, new String[] {"java/sql/SQLException"});
    method.visitCode();
    method.visitInsn(Opcodes.ACONST_NULL);
    method.visitInsn(Opcodes.ARETURN);
    method.visitMaxs(0, 0);
    method.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  /**
   * The jar's class files before its parent's (the test's class path holds other versions of
   * HikariCP), the parent for the JDK and the agent's hooks.
   */
  private static final class JarFirst extends URLClassLoader {
    JarFirst(Path jar) throws IOException {
      super(new URL[] {jar.toUri().toURL()}, PrewovenClassesTest.class.getClassLoader());
    }

    @Override
    public URL getResource(String name) {
      URL own = findResource(name);
      return own != null ? own : super.getResource(name);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      URL own = findResource(name);
      try {
        return own != null ? own.openStream() : super.getResourceAsStream(name);
      } catch (IOException e) {
        return null;
      }
    }
  }
}
