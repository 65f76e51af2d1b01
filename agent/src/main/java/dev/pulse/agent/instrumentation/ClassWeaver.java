package dev.pulse.agent.instrumentation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    Map<String, Integer> ownLocals = ownLocals(reader, advised);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    boolean frames = reader.readUnsignedShort(6) >= Opcodes.V1_6; // the major version
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
            locals, frames);
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
   * them). A method with subroutines (jsr/ret, class files before version 50) is left out, and so
   * is a constructor that stores into slot 0 (legal bytecode, though javac never writes it):
   * a constructor's exit frame says slot 0 holds the object.
   */
  private static Map<String, Integer> ownLocals(ClassReader reader, Map<String, Woven> advised) {
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
        return new MethodVisitor(Opcodes.ASM9) {
          /** Subroutines, or a constructor's slot 0 overwritten: not woven. */
          private boolean leftOut;

          @Override
          public void visitJumpInsn(int opcode, Label label) {
            leftOut |= opcode == Opcodes.JSR;
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
            if (!leftOut) {
              locals.put(key, maxLocals);
            }
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return locals;
  }
}
