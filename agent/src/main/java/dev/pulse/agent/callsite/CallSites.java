package dev.pulse.agent.callsite;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The application's own frames in a stack: the first frames that belong neither to the JDK, a
 * JDBC driver, a pool, a data-access framework (Spring, Hibernate, jOOQ, MyBatis), a generated
 * proxy, nor the agent. The agent's frames are told by package, read from the agent's own jar,
 * so an application whose packages look like the agent's is still the application. Used off the
 * application's threads: a stack is captured there, and read here.
 */
public final class CallSites {
  /** Frames kept from the first of the application's. */
  public static final int FRAMES = 5;
  private static final String[] FRAMEWORKS = {"java.", "javax.", "jakarta.", "jdk.", "sun.",
      "com.sun.", "org.postgresql.", "com.zaxxer.hikari.", "org.h2.", "com.mysql.", "org.mariadb.",
      "oracle.jdbc.", "com.microsoft.sqlserver.", "org.apache.tomcat.jdbc.",
      "org.apache.commons.dbcp", "io.agroal.", "org.vibur.dbcp.", "com.mchange.", "com.p6spy.",
      "net.ttddyy.dsproxy.", "org.springframework.", "org.hibernate.", "org.jooq.",
      "org.apache.ibatis.", "org.mybatis.", "net.bytebuddy.", "io.opentelemetry."};
  private static final String HIDDEN = "inst/";
  private static final String CLASS_DATA = ".classdata";
  private static final Set<String> AGENT_PACKAGES = agentPackages();

  private CallSites() {
  }

  /** Up to {@link #FRAMES} frames as {@code Class.method(File:line)}, from the first not skipped. */
  public static List<String> of(StackTraceElement[] stack) {
    List<String> frames = new ArrayList<>(FRAMES);
    for (StackTraceElement frame : stack) {
      if (frames.isEmpty() && skipped(frame.getClassName())) {
        continue;
      }
      frames.add(frame.getClassName() + "." + frame.getMethodName() + "("
          + (frame.getFileName() != null ? frame.getFileName() + ":" + frame.getLineNumber()
          : "Unknown Source") + ")");
      if (frames.size() == FRAMES) {
        break;
      }
    }
    return frames;
  }

  static boolean skipped(String className) {
    for (String prefix : FRAMEWORKS) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    // generated: CGLIB and ByteBuddy proxies, lambdas, Hibernate's proxies
    if (className.contains("$$") || className.contains("$HibernateProxy")) {
      return true;
    }
    int dot = className.lastIndexOf('.');
    return dot > 0 && AGENT_PACKAGES.contains(className.substring(0, dot));
  }

  /** The packages of the jar (or class folder) this class was loaded from. */
  private static Set<String> agentPackages() {
    Set<String> packages = new HashSet<>();
    try {
      Path location = Paths.get(CallSites.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          files.filter(file -> file.toString().endsWith(".class"))
              .forEach(file -> packages.add(packageOf(location.relativize(file).toString()
                  .replace(java.io.File.separatorChar, '/'))));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          jar.stream().map(entry -> classFile(entry.getName())).filter(name -> name != null)
              .forEach(name -> packages.add(packageOf(name)));
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // unknown: at least the agent's own package is its
      packages.add(CallSites.class.getPackageName());
    }
    packages.remove("");
    return Collections.unmodifiableSet(packages);
  }

  /**
   * A jar entry's class file name, whether in the jar's visible part ({@code .class}) or in the
   * part only the agent's loader reads ({@code inst/...classdata}); null for anything else.
   */
  private static String classFile(String entry) {
    if (entry.startsWith(HIDDEN) && entry.endsWith(CLASS_DATA)) {
      return entry.substring(HIDDEN.length(), entry.length() - CLASS_DATA.length()) + ".class";
    }
    return entry.endsWith(".class") ? entry : null;
  }

  private static String packageOf(String classFile) {
    int slash = classFile.lastIndexOf('/');
    return slash < 0 ? "" : classFile.substring(0, slash).replace('/', '.');
  }
}
