package dev.pulse.agent.instrumentation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.JSRInlinerAdapter;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * A method of a class file without stack map frames (before version 50, or 50 without them), read
 * whole before it is woven: such a file says nothing of the stack after a jump, so what lies under
 * the result at each return is found by analysing the code (ASM's Analyzer). Its subroutines
 * (jsr/ret, which only such files have) are inlined first, so their methods are woven too.
 */
final class FramelessMethod extends MethodNode {
  private final String owner;
  private final Function<Deque<int[]>, MethodVisitor> weaving;

  /**
   * @param weaving the weaver, given the sizes (1 or 2) of the values under the result at each
   *     return, bottom first, in the order the returns come
   */
  static MethodVisitor reading(String owner, MethodFacts method,
      Function<Deque<int[]>, MethodVisitor> weaving) {
    FramelessMethod read = new FramelessMethod(owner, method, weaving);
    return new JSRInlinerAdapter(read, method.access(), method.name(), method.descriptor(), null,
        null);
  }

  private FramelessMethod(String owner, MethodFacts method,
      Function<Deque<int[]>, MethodVisitor> weaving) {
    super(Opcodes.ASM9, method.access(), method.name(), method.descriptor(), null, null);
    this.owner = owner;
    this.weaving = weaving;
  }

  @Override
  public void visitEnd() {
    Frame<BasicValue>[] frames;
    try {
      frames = new Analyzer<>(new BasicInterpreter()).analyze(owner, this);
    } catch (AnalyzerException e) {
      throw new IllegalStateException("cannot read " + name + desc + ": " + e.getMessage(), e);
    }
    Deque<int[]> underResults = new ArrayDeque<>();
    for (int i = 0; i < instructions.size(); i++) {
      int opcode = instructions.get(i).getOpcode();
      if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
        Frame<BasicValue> frame = frames[i]; // null: unreachable, never run
        int under = frame == null ? 0 : frame.getStackSize() - (opcode == Opcodes.RETURN ? 0 : 1);
        int[] sizes = new int[Math.max(0, under)];
        for (int value = 0; value < sizes.length; value++) {
          sizes[value] = frame.getStack(value).getSize();
        }
        underResults.add(sizes);
      }
    }
    accept(weaving.apply(underResults));
  }
}
