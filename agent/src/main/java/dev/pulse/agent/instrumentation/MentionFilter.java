package dev.pulse.agent.instrumentation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Tells the class files that mention one of a few names (in their constant pool, where every type
 * a class extends, implements or declares in a signature is named): only those are parsed. The
 * rest of a start-up's classes are left alone after this byte scan: matching each of them against
 * its supertypes was most of the agent's start-up cost. One pass for all the names, moving by
 * Horspool's shifts (a window of the shortest name's length, which seldom ends on a byte the
 * names hold near their start): every class the host loads goes through it, mostly before the JIT
 * has compiled it.
 */
final class MentionFilter {
  private final byte[][] names;
  private final int window;
  /** How far the window moves when it ends on this byte, whichever name would match. */
  private final int[] shift = new int[256];

  MentionFilter(List<String> names) {
    this.names = new byte[names.size()][];
    int shortest = Integer.MAX_VALUE;
    for (int i = 0; i < this.names.length; i++) {
      this.names[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
      shortest = Math.min(shortest, this.names[i].length);
    }
    window = shortest;
    Arrays.fill(shift, window);
    for (byte[] name : this.names) {
      for (int j = 0; j < window - 1; j++) {
        shift[name[j] & 0xff] = Math.min(shift[name[j] & 0xff], window - 1 - j);
      }
    }
  }

  boolean mentionsAny(byte[] classFile) {
    int last = window - 1;
    for (int end = last; end < classFile.length; ) {
      byte ending = classFile[end];
      for (byte[] name : names) {
        if (name[last] == ending && matchesAt(classFile, end - last, name)) {
          return true;
        }
      }
      end += shift[ending & 0xff];
    }
    return false;
  }

  private static boolean matchesAt(byte[] bytes, int from, byte[] name) {
    if (from + name.length > bytes.length) {
      return false;
    }
    for (int j = 0; j < name.length; j++) {
      if (bytes[from + j] != name[j]) {
        return false;
      }
    }
    return true;
  }
}
