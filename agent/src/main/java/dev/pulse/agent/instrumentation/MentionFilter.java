package dev.pulse.agent.instrumentation;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tells the class files that mention one of a few names (in their constant pool, where every type
 * a class extends, implements or declares in a signature is named): only those are parsed. The
 * rest of a start-up's classes are left alone after this byte scan: matching each of them against
 * its supertypes was most of the agent's start-up cost.
 */
final class MentionFilter {
  private final byte[][] names;

  MentionFilter(List<String> names) {
    this.names = new byte[names.size()][];
    for (int i = 0; i < this.names.length; i++) {
      this.names[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
    }
  }

  boolean mentionsAny(byte[] classFile) {
    for (byte[] name : names) {
      if (contains(classFile, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(byte[] bytes, byte[] part) {
    byte first = part[0];
    for (int i = 0, last = bytes.length - part.length; i <= last; i++) {
      if (bytes[i] == first && regionMatches(bytes, i, part)) {
        return true;
      }
    }
    return false;
  }

  private static boolean regionMatches(byte[] bytes, int from, byte[] part) {
    for (int j = 1; j < part.length; j++) {
      if (bytes[from + j] != part[j]) {
        return false;
      }
    }
    return true;
  }
}
