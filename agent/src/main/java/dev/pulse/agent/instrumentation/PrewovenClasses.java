package dev.pulse.agent.instrumentation;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * What the transformer decided, at the agent's build, for the class files of the library versions
 * its tests weave (HikariCP's, pgjdbc's, H2's: {@link PrewovenIndexWriter}): a class file the JVM
 * hands over that is one of them, byte for byte as far as its length and two checksums tell, is
 * left alone or given its woven bytes without being parsed, matched or woven. Weaving cold, on the
 * application's thread, is most of what the agent adds to an application's start and to its first
 * statements. A class file that is not in the index is woven as it loads, as before.
 *
 * <p>Only classes whose supertypes are all in their own jar or the JDK are in the index: what the
 * weaving decides depends on nothing else, whoever loads them.
 */
final class PrewovenClasses {
  /** The index's resource, beside this class; its woven class files are {@code N.woven}. */
  static final String INDEX = "prewoven/index";
  /** Returned by {@link #find} for a class file the build left unchanged. */
  static final byte[] UNCHANGED = new byte[0];
  /** No index: every class is woven as it loads. */
  static final PrewovenClasses NONE = new PrewovenClasses(null);

  private static final int MAGIC = 0x50554c53; // "PULS"
  private static final int FORMAT = 3;

  private final Function<String, InputStream> resources;
  /** Read at the first look-up: an application that never loads a JDBC class never reads it. */
  private volatile Map<String, Entry[]> byName;

  /** @param resources opens a resource by its name relative to this class's package, or null */
  PrewovenClasses(Function<String, InputStream> resources) {
    this.resources = resources;
    this.byName = resources == null ? Map.of() : null;
  }

  /** The index the agent's jar holds; none when it holds none or it cannot be read. */
  static PrewovenClasses inAgentJar() {
    return new PrewovenClasses(new AgentJarResources());
  }

  private Map<String, Entry[]> byName() {
    Map<String, Entry[]> read = byName;
    if (read == null) {
      synchronized (this) {
        read = byName;
        if (read == null) {
          byName = read = read();
        }
      }
    }
    return read;
  }

  private Map<String, Entry[]> read() {
    try (InputStream raw = resources.apply(INDEX)) {
      if (raw == null) {
        return Map.of();
      }
      // read whole first: the jar's stream reads byte by byte under a lock
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw.readAllBytes()));
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        return Map.of();
      }
      int count = in.readInt();
      Map<String, Entry[]> byName = new HashMap<>();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        Entry entry = new Entry(Fingerprint.read(in), in.readInt(), Fingerprint.read(in));
        Entry[] known = byName.get(name);
        Entry[] more = known == null ? new Entry[1] : Arrays.copyOf(known, known.length + 1);
        more[more.length - 1] = entry;
        byName.put(name, more);
      }
      return byName;
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  /**
   * {@link #UNCHANGED}, the woven class file, or null when this class file is not in the index (or
   * its woven bytes cannot be read, or are not those recorded): then it is woven as it loads.
   */
  byte[] find(String className, byte[] classFile) {
    Entry[] entries = byName().get(className);
    if (entries == null) {
      return null;
    }
    Fingerprint fingerprint = Fingerprint.of(classFile);
    for (Entry entry : entries) {
      if (entry.classFile.equals(fingerprint)) {
        return entry.woven < 0 ? UNCHANGED : woven(entry);
      }
    }
    return null;
  }

  /** The entry's woven class file, or null when the jar's copy is not the one recorded. */
  private byte[] woven(Entry entry) {
    try (InputStream in = resources.apply(wovenName(entry.woven))) {
      byte[] woven = in == null ? null : in.readAllBytes();
      return woven != null && entry.wovenBytes.equals(Fingerprint.of(woven)) ? woven : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static String wovenName(int number) {
    return "prewoven/" + number + ".woven";
  }

  /** Writes the index's header; then {@link #writeEntry} once per entry. */
  static void writeHeader(DataOutputStream out, int count) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeInt(count);
  }

  /**
   * @param woven the woven class file, or null when the build left it unchanged
   * @param number the number of its woven class file, -1 when none
   */
  static void writeEntry(DataOutputStream out, String className, Fingerprint classFile,
      byte[] woven, int number) throws IOException {
    out.writeUTF(className);
    classFile.write(out);
    out.writeInt(number);
    (woven == null ? Fingerprint.NONE : Fingerprint.of(woven)).write(out);
  }

  int size() {
    int size = 0;
    for (Entry[] entries : byName().values()) {
      size += entries.length;
    }
    return size;
  }

  /** A class, not a lambda: this is made on the thread loading the agent. */
  private static final class AgentJarResources implements Function<String, InputStream> {
    @Override
    public InputStream apply(String name) {
      return PrewovenClasses.class.getResourceAsStream(name);
    }
  }

  /** What tells one class file from another of the same name: its length and two checksums. */
  static final class Fingerprint {
    static final Fingerprint NONE = new Fingerprint(0, 0, 0);

    private final int length;
    private final int crc;
    private final int adler;

    private Fingerprint(int length, int crc, int adler) {
      this.length = length;
      this.crc = crc;
      this.adler = adler;
    }

    static Fingerprint of(byte[] classFile) {
      CRC32 crc = new CRC32();
      crc.update(classFile);
      Adler32 adler = new Adler32();
      adler.update(classFile);
      return new Fingerprint(classFile.length, (int) crc.getValue(), (int) adler.getValue());
    }

    static Fingerprint read(DataInputStream in) throws IOException {
      return new Fingerprint(in.readInt(), in.readInt(), in.readInt());
    }

    void write(DataOutputStream out) throws IOException {
      out.writeInt(length);
      out.writeInt(crc);
      out.writeInt(adler);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Fingerprint && ((Fingerprint) other).length == length
          && ((Fingerprint) other).crc == crc && ((Fingerprint) other).adler == adler;
    }

    @Override
    public int hashCode() {
      return (length * 31 + crc) * 31 + adler;
    }
  }

  private static final class Entry {
    final Fingerprint classFile;
    /** The number of its woven class file, or -1: left unchanged. */
    final int woven;
    final Fingerprint wovenBytes;

    Entry(Fingerprint classFile, int woven, Fingerprint wovenBytes) {
      this.classFile = classFile;
      this.woven = woven;
      this.wovenBytes = wovenBytes;
    }
  }
}
