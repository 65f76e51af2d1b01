package dev.pulse.agent.instrumentation;

import java.io.DataOutputStream;
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

/**
 * Run at the agent's build: for every class file of the given jars that the transformer would look
 * at, what it decides (left alone, or these woven bytes), written where {@link PrewovenClasses}
 * reads it. Each jar is read in a class loader of its own over the JDK's, and a class is left out
 * when deciding it needed a class file its jar does not hold (at run time another jar would answer
 * for it), or when the same class file is decided differently in two jars. The verdicts hold for
 * the instrumentations and mentions given here: the agent takes them only with the same ones.
 */
public final class PrewovenIndexWriter {
  private PrewovenIndexWriter() {
  }

  /**
   * @param directory where the index goes, as the package directory of {@link PrewovenClasses}
   * @return the number of classes recorded, woven or not
   */
  public static int write(Path directory, List<Instrumentation> instrumentations,
      List<String> mentions, List<Path> jars) throws IOException {
    AdviceTransformer transformer = new AdviceTransformer(new MentionFilter(mentions),
        List.copyOf(instrumentations), new ClassFactsCache());
    Files.createDirectories(directory.resolve(PrewovenClasses.INDEX).getParent());
    // by name, length and checksums: the same class file in two jars (HikariCP's proxies across
    // versions) is recorded once, and not at all when its verdicts differ (its supertypes did)
    Map<Map.Entry<String, PrewovenClasses.Fingerprint>, Verdict> verdicts = new LinkedHashMap<>();
    Set<Map.Entry<String, PrewovenClasses.Fingerprint>> conflicting = new HashSet<>();
    for (Path jar : jars) {
      try (JarFile file = new JarFile(jar.toFile()); JarOnly loader = new JarOnly(jar)) {
        for (JarEntry entry : sortedClassFiles(file)) {
          String className = entry.getName().substring(0, entry.getName().length() - 6);
          byte[] classFile;
          try (InputStream in = file.getInputStream(entry)) {
            classFile = in.readAllBytes();
          }
          if (!transformer.isCandidate(loader, className, classFile)) {
            continue;
          }
          loader.misses.clear();
          byte[] woven = transformer.wovenOrNull(loader, className, classFile);
          if (!loader.misses.isEmpty()) {
            continue;
          }
          Map.Entry<String, PrewovenClasses.Fingerprint> key =
              Map.entry(className, PrewovenClasses.Fingerprint.of(classFile));
          Verdict earlier = verdicts.putIfAbsent(key, new Verdict(key, woven));
          if (earlier != null && !Arrays.equals(earlier.woven, woven)) {
            conflicting.add(key);
          }
        }
      }
    }
    verdicts.keySet().removeAll(conflicting);
    try (OutputStream raw = Files.newOutputStream(directory.resolve(PrewovenClasses.INDEX));
        DataOutputStream out = new DataOutputStream(raw)) {
      PrewovenClasses.writeHeader(out, verdicts.size());
      int number = 0;
      for (Verdict verdict : verdicts.values()) {
        if (verdict.woven != null) {
          Files.write(directory.resolve(PrewovenClasses.wovenName(number)), verdict.woven);
        }
        PrewovenClasses.writeEntry(out, verdict.classFile.getKey(), verdict.classFile.getValue(),
            verdict.woven, verdict.woven == null ? -1 : number++);
      }
    }
    return verdicts.size();
  }

  /** The jar's class files, by name (a multi-release jar's versions left out), so builds agree. */
  private static List<JarEntry> sortedClassFiles(JarFile file) {
    List<JarEntry> entries = new ArrayList<>();
    for (JarEntry entry : Collections.list(file.entries())) {
      String name = entry.getName();
      if (name.endsWith(".class") && !name.startsWith("META-INF/")
          && !name.endsWith("module-info.class")) {
        entries.add(entry);
      }
    }
    entries.sort((a, b) -> a.getName().compareTo(b.getName()));
    return entries;
  }

  private static final class Verdict {
    /** Its name and fingerprint. */
    final Map.Entry<String, PrewovenClasses.Fingerprint> classFile;
    /** Null: left alone. */
    final byte[] woven;

    Verdict(Map.Entry<String, PrewovenClasses.Fingerprint> classFile, byte[] woven) {
      this.classFile = classFile;
      this.woven = woven;
    }
  }

  /** One jar over the JDK; remembers the class files it was asked for and does not hold. */
  private static final class JarOnly extends URLClassLoader {
    final Set<String> misses = new HashSet<>();

    JarOnly(Path jar) throws IOException {
      super(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      InputStream in = super.getResourceAsStream(name);
      if (in == null) {
        misses.add(name);
      }
      return in;
    }
  }
}
