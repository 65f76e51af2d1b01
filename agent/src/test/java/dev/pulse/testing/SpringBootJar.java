package dev.pulse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * Packs an executable jar the way Spring Boot's build plugin does: the loader at the root, the
 * application's classes under BOOT-INF/classes, its libraries stored (not deflated) under
 * BOOT-INF/lib, so that Spring Boot's own class loader runs it, as in production.
 */
public final class SpringBootJar {
  private SpringBootJar() {
  }

  public static Path build(Path target, Path loaderJar, Path classesRoot, List<Path> classFiles,
      String startClass, List<Path> libraries) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher");
    main.putValue("Start-Class", startClass);
    main.putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
    main.putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest);
        JarFile loader = new JarFile(loaderJar.toFile())) {
      for (JarEntry entry : java.util.Collections.list(loader.entries())) {
        if (entry.getName().startsWith("org/springframework/boot/loader/")) {
          out.putNextEntry(new JarEntry(entry.getName()));
          try (InputStream in = loader.getInputStream(entry)) {
            in.transferTo(out);
          }
          out.closeEntry();
        }
      }
      // the launcher puts on the class path the directory entry BOOT-INF/classes/ and the jars
      java.util.Set<String> directories = new java.util.TreeSet<>(List.of("BOOT-INF/",
          "BOOT-INF/classes/", "BOOT-INF/lib/"));
      for (Path file : classFiles) {
        Path parent = classesRoot.relativize(file).getParent();
        for (Path dir = parent; dir != null; dir = dir.getParent()) {
          directories.add("BOOT-INF/classes/" + dir.toString().replace('\\', '/') + "/");
        }
      }
      for (String directory : directories) {
        out.putNextEntry(new JarEntry(directory));
        out.closeEntry();
      }
      for (Path file : classFiles) {
        out.putNextEntry(new JarEntry("BOOT-INF/classes/"
            + classesRoot.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
      for (Path library : libraries) {
        stored(out, "BOOT-INF/lib/" + library.getFileName(), Files.readAllBytes(library));
      }
    }
    return target;
  }

  /** Nested jars must be stored: the loader reads them in place. */
  private static void stored(JarOutputStream out, String name, byte[] bytes) throws IOException {
    JarEntry entry = new JarEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    entry.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setCrc(crc.getValue());
    out.putNextEntry(entry);
    ((OutputStream) out).write(bytes);
    out.closeEntry();
  }
}
