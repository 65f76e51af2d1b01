package dev.pulse.agent.instrumentation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A class as its class file declares it (name, modifiers, supertypes, methods), read without
 * loading it: what the instrumentations' type matchers see. Supertypes are read the same way, from
 * the class files of the loader the class is defined in, as a matcher asks for them.
 */
public final class ClassFacts {
  private final String name;
  private final int access;
  private final String superName;
  private final String[] interfaces;
  private final List<MethodFacts> methods;
  /** Where the supertypes' class files are read: the defining loader's. */
  private final ClassFactsCache.Loader supertypes;

  private ClassFacts(String name, int access, String superName, String[] interfaces,
      List<MethodFacts> methods, ClassFactsCache.Loader supertypes) {
    this.name = name;
    this.access = access;
    this.superName = superName;
    this.interfaces = interfaces;
    this.methods = methods;
    this.supertypes = supertypes;
  }

  /** Reads the header and the methods' declarations; the code is skipped. */
  static ClassFacts read(byte[] classFile, ClassFactsCache.Loader supertypes) {
    ClassReader reader = new ClassReader(classFile);
    List<MethodFacts> methods = new ArrayList<>();
    reader.accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor,
          String signature, String[] exceptions) {
        methods.add(new MethodFacts(access, name, descriptor));
        return null;
      }
    }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return new ClassFacts(reader.getClassName(), reader.getAccess(), reader.getSuperName(),
        reader.getInterfaces(), Collections.unmodifiableList(methods), supertypes);
  }

  /** Internal name: {@code com/zaxxer/hikari/HikariConfig}. */
  public String name() {
    return name;
  }

  public boolean isInterface() {
    return (access & Opcodes.ACC_INTERFACE) != 0;
  }

  public boolean isSynthetic() {
    return (access & Opcodes.ACC_SYNTHETIC) != 0;
  }

  public List<MethodFacts> methods() {
    return methods;
  }

  /** The superclass, or null for Object or when its class file cannot be read. */
  public ClassFacts superClass() {
    return superName == null ? null : supertypes.facts(superName);
  }

  /**
   * Whether this class is, extends or implements the type of that internal name, directly or
   * not. A supertype whose class file cannot be read is passed over.
   */
  public boolean hasSuperType(String internalName) {
    if (name.equals(internalName)) {
      return true;
    }
    Set<String> seen = new HashSet<>();
    Deque<String> next = new ArrayDeque<>();
    addSupertypes(next);
    while (!next.isEmpty()) {
      String each = next.poll();
      if (each.equals(internalName)) {
        return true;
      }
      if (seen.add(each) && !"java/lang/Object".equals(each)) {
        ClassFacts facts = supertypes.facts(each);
        if (facts != null) {
          facts.addSupertypes(next);
        }
      }
    }
    return false;
  }

  private void addSupertypes(Deque<String> next) {
    if (superName != null) {
      next.add(superName);
    }
    Collections.addAll(next, interfaces);
  }
}
