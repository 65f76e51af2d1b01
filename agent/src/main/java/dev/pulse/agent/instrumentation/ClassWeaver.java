package dev.pulse.agent.instrumentation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a class file with advice woven into some of its methods, and nothing else changed: no
 * field, method or interface is added, so a loaded class can be retransformed too. The writer
 * computes the maximum stack and locals only; frames are the method's own plus the weaver's, so no
 * class is ever loaded to write them.
 */
final class ClassWeaver {
  private ClassWeaver() {
  }

  /**
   * @param advised the advice by method (name + descriptor), in the order it is woven: a method
   *     two instrumentations advise is woven twice, the second advice around the first
   * @return the woven class file
   */
  static byte[] weave(byte[] classFile, Map<String, List<Woven>> advised) {
    byte[] woven = classFile;
    for (int round = 0; ; round++) {
      Map<String, Woven> these = new HashMap<>();
      for (Map.Entry<String, List<Woven>> each : advised.entrySet()) {
        if (each.getValue().size() > round) {
          these.put(each.getKey(), each.getValue().get(round));
        }
      }
      if (these.isEmpty()) {
        return woven;
      }
      woven = weaveOnce(woven, these);
    }
  }

  private static byte[] weaveOnce(byte[] classFile, Map<String, Woven> advised) {
    ClassReader reader = new ClassReader(classFile);
    int version = reader.readUnsignedShort(6); // the major version
    Set<String> framed = new HashSet<>();
    Map<String, Integer> ownLocals = ownLocals(reader, advised, version, framed);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor,
          String signature, String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        Woven woven = advised.get(name + descriptor);
        Integer locals = ownLocals.get(name + descriptor);
        if (woven == null || locals == null) {
          return next;
        }
        return AdviceWeaver.weaving(next, woven.advice, reader.getClassName(), woven.method,
            locals, framed.contains(name + descriptor));
      }
    }, ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /** A method and the advice it gets. */
  static final class Woven {
    final MethodFacts method;
    final Advice advice;

    Woven(MethodFacts method, Advice advice) {
      this.method = method;
      this.advice = advice;
    }
  }

  /**
   * The advised methods' own numbers of local slots, read before weaving (the advice's go after
   * them). A constructor that stores into slot 0 (legal bytecode, though javac never writes it) is
   * left out: a constructor's exit frame says slot 0 holds the object. So is a method with
   * subroutines (jsr/ret) in a file with stack map frames; without them they are inlined
   * ({@link FramelessMethod}).
   *
   * @param framed gets the methods woven with stack map frames: all from version 51 on, those
   *     that have some in version 50 (where they are optional), none before
   */
  private static Map<String, Integer> ownLocals(ClassReader reader, Map<String, Woven> advised,
      int version, Set<String> framed) {
    Map<String, Integer> locals = new HashMap<>();
    reader.accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor,
          String signature, String[] exceptions) {
        String key = name + descriptor;
        if (!advised.containsKey(key)) {
          return null;
        }
        boolean constructor = "<init>".equals(name);
        if (version > Opcodes.V1_6) {
          framed.add(key);
        }
        return new MethodVisitor(Opcodes.ASM9) {
          /** A constructor's slot 0 overwritten: not woven. */
          private boolean leftOut;
          private boolean subroutines;

          @Override
          public void visitFrame(int type, int numLocal, Object[] local, int numStack,
              Object[] stack) {
            if (version == Opcodes.V1_6) {
              framed.add(key);
            }
          }

          @Override
          public void visitJumpInsn(int opcode, Label label) {
            subroutines |= opcode == Opcodes.JSR;
          }

          @Override
          public void visitVarInsn(int opcode, int slot) {
            leftOut |= constructor && slot == 0 && opcode >= Opcodes.ISTORE;
          }

          @Override
          public void visitIincInsn(int slot, int increment) {
            leftOut |= constructor && slot == 0;
          }

          @Override
          public void visitMaxs(int maxStack, int maxLocals) {
            if (!leftOut && !(subroutines && framed.contains(key))) {
              locals.put(key, maxLocals);
            }
          }
        };
      }
    }, ClassReader.SKIP_DEBUG);
    return locals;
  }
}
