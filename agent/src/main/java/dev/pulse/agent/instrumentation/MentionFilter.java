package dev.pulse.agent.instrumentation;

import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.List;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Hands ByteBuddy only the class files that mention one of a few names (in their constant pool,
 * where every type a class extends, implements or declares in a signature is named). The rest of
 * a start-up's classes are left alone without being parsed: matching each of them against its
 * supertypes was most of the agent's start-up cost.
 */
final class MentionFilter extends ResettableClassFileTransformer.WithDelegation {
  private final byte[][] names;

  MentionFilter(ResettableClassFileTransformer transformer, List<String> names) {
    super(transformer);
    this.names = new byte[names.size()][];
    for (int i = 0; i < this.names.length; i++) {
      this.names[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
    }
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className,
      Class<?> classBeingRedefined, ProtectionDomain protectionDomain, byte[] classFile)
      throws IllegalClassFormatException {
    return mentionsAny(classFile) ? classFileTransformer.transform(module, loader, className,
        classBeingRedefined, protectionDomain, classFile) : null;
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classFile) throws IllegalClassFormatException {
    return mentionsAny(classFile) ? classFileTransformer.transform(loader, className,
        classBeingRedefined, protectionDomain, classFile) : null;
  }

  boolean mentionsAny(byte[] classFile) {
    if (classFile == null) {
      return true; // nothing to read: let ByteBuddy decide
    }
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
