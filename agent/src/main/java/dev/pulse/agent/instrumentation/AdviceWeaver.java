package dev.pulse.agent.instrumentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AnalyzerAdapter;

/**
 * Weaves one {@link Advice} into one method as its class file is read, the method's own
 * instructions kept as they were but for its returns:
 *
 * <pre>
 *   (the advice's locals, past the method's own, set to null / 0; copies of what the exit reads)
 *   try { entry steps; [if (skip != null) { thrown = (Throwable) skip; goto exit; }] }
 *   catch (Throwable ignored) { }
 *   the method's code, each return storing its value, popping what is under it, jumping to the exit
 *   [catch (Throwable t) { thrown = t; }]          around the method's code, its last handler
 *   exit: try { exit call } catch (Throwable ignored) { }
 *   [if (thrown != null) throw thrown;] return the value
 * </pre>
 *
 * The advice's locals are put after all of the method's (its maximum, read beforehand), so none of
 * the method's local slots moves; every stack map frame of the method gets them appended. The exit
 * (after the method's code, outside all of its handlers' ranges) reads only the advice's locals
 * (the object and the arguments it needs are copied on entry), so its frames say nothing of the
 * method's own locals and hold whatever the method did with them; only a constructor's exit reads
 * the object from slot 0 ({@link ClassWeaver} leaves out a constructor that stores there).
 */
final class AdviceWeaver extends MethodVisitor {
  /** A method's local slots at most (max_locals is an unsigned 16-bit count). */
  private static final int MAX_LOCALS = 0xFFFF;

  private final Advice advice;
  private final String owner;
  private final MethodFacts method;
  private final int ownLocals;
  /** The frame types of the advice's locals, in slot order. */
  private final List<Object> adviceTypes = new ArrayList<>();
  private final int[] enteredSlots;
  private final int[] argumentCopySlots;
  private final int selfSlot;
  private final int returnedSlot;
  private final int thrownSlot;
  private final Label exit = new Label();
  private final Label codeStart = new Label();
  private int nextSlot;

  /** What the method's own code has on the stack and in its locals, instruction by instruction. */
  private AnalyzerAdapter original;
  /**
   * Without stack map frames: the sizes of the values under the result at each return to come,
   * bottom first (the analyzer above knows nothing of the stack after a jump in such a file);
   * null with them.
   */
  private final Deque<int[]> underResults;

  /**
   * The visitor the method's code goes through: it tracks the code's stack (see
   * {@link #visitInsn}), then weaves.
   *
   * @param ownLocals the method's own number of local slots
   * @param frames whether the method has stack map frames (version 51 on, optional in 50)
   */
  static MethodVisitor weaving(MethodVisitor next, Advice advice, String owner, MethodFacts method,
      int ownLocals, boolean frames) {
    if (!frames) {
      return FramelessMethod.reading(owner, method,
          underResults -> weaving(next, advice, owner, method, ownLocals, underResults));
    }
    return weaving(next, advice, owner, method, ownLocals, null);
  }

  private static MethodVisitor weaving(MethodVisitor next, Advice advice, String owner,
      MethodFacts method, int ownLocals, Deque<int[]> underResults) {
    AdviceWeaver weaver = new AdviceWeaver(next, advice, owner, method, ownLocals, underResults);
    weaver.original = new AnalyzerAdapter(owner, method.access(), method.name(),
        method.descriptor(), weaver);
    return weaver.original;
  }

  private AdviceWeaver(MethodVisitor next, Advice advice, String owner, MethodFacts method,
      int ownLocals, Deque<int[]> underResults) {
    super(Opcodes.ASM9, next);
    this.advice = advice;
    this.owner = owner;
    this.method = method;
    this.ownLocals = ownLocals;
    this.underResults = underResults;
    this.nextSlot = ownLocals;
    enteredSlots = new int[advice.enter.size()];
    for (int i = 0; i < enteredSlots.length; i++) {
      String type = advice.descriptor(advice.enter.get(i));
      enteredSlots[i] = "V".equals(type) ? -1 : newLocal(type);
    }
    boolean exitNeedsSelf = !advice.exitReads(Advice.Value.Kind.SELF).isEmpty()
        || !advice.exitReads(Advice.Value.Kind.FIELD).isEmpty();
    selfSlot = exitNeedsSelf && !method.isConstructor() ? newLocal("L" + owner + ";") : -1;
    argumentCopySlots = new int[method.argumentCount()];
    Arrays.fill(argumentCopySlots, -1);
    List<Advice.Value> arguments = new ArrayList<>(advice.exitReads(Advice.Value.Kind.ARGUMENT));
    arguments.addAll(advice.exitReads(Advice.Value.Kind.OPTIONAL_ARGUMENT));
    for (Advice.Value argument : arguments) {
      if (argument.descriptor.equals(method.argument(argument.index))
          && argumentCopySlots[argument.index] < 0) {
        argumentCopySlots[argument.index] = newLocal(argument.descriptor);
      }
    }
    returnedSlot = advice.exit != null && !"V".equals(method.returned())
        ? newLocal(method.returned()) : -1;
    thrownSlot = advice.exit != null && (advice.onThrowable || advice.skipWhenThrown >= 0)
        ? newLocal(Advice.THROWABLE) : -1;
  }

  /**
   * Whether {@code advice} can be woven into {@code method}: a constructor's object is not
   * initialized on entry, nor everywhere a handler around its code would run; a static method has
   * no object; an argument read must be there, of the type the hook takes.
   */
  static boolean supports(Advice advice, MethodFacts method) {
    if (method.isConstructor() && (!advice.enter.isEmpty() || advice.onThrowable
        || advice.skipWhenThrown >= 0)) {
      return false;
    }
    if (method.isStatic() && (!advice.reads(Advice.Value.Kind.SELF).isEmpty()
        || !advice.reads(Advice.Value.Kind.FIELD).isEmpty())) {
      return false;
    }
    for (Advice.Value argument : advice.reads(Advice.Value.Kind.ARGUMENT)) {
      if (!argument.descriptor.equals(method.argument(argument.index))) {
        return false;
      }
    }
    return true;
  }

  /** Past the method's own slots; a method that leaves no room for them is not woven. */
  private int newLocal(String descriptor) {
    int slot = nextSlot;
    adviceTypes.add(frameType(descriptor));
    nextSlot += Type.getType(descriptor).getSize();
    if (nextSlot > MAX_LOCALS) {
      throw new IllegalStateException(method.name() + method.descriptor()
          + ": no room for the advice's locals");
    }
    return slot;
  }

  @Override
  public void visitCode() {
    super.visitCode();
    for (int slot = ownLocals, i = 0; slot < nextSlot; i++) {
      Object type = adviceTypes.get(i);
      slot += storeDefault(type, slot);
    }
    if (selfSlot >= 0) {
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitVarInsn(Opcodes.ASTORE, selfSlot);
    }
    for (int i = 0; i < argumentCopySlots.length; i++) {
      if (argumentCopySlots[i] >= 0) {
        Type type = Type.getType(method.argument(i));
        super.visitVarInsn(type.getOpcode(Opcodes.ILOAD), argumentSlot(i));
        super.visitVarInsn(type.getOpcode(Opcodes.ISTORE), argumentCopySlots[i]);
      }
    }
    if (!advice.enter.isEmpty()) {
      writeEnter();
      super.visitInsn(Opcodes.NOP); // the method's own first frame may not share the offset
    }
    super.visitLabel(codeStart);
  }

  private void writeEnter() {
    guarded(entryLocals(), () -> {
      for (int i = 0; i < enteredSlots.length; i++) {
        Advice.Value step = advice.enter.get(i);
        push(step, true);
        if (enteredSlots[i] >= 0) {
          super.visitVarInsn(Type.getType(advice.descriptor(step)).getOpcode(Opcodes.ISTORE),
              enteredSlots[i]);
        }
      }
      if (advice.skipWhenThrown >= 0 && thrownSlot >= 0) {
        // inside the catch-all: a value that is no Throwable fails here and is ignored
        Label proceed = new Label();
        int skip = enteredSlots[advice.skipWhenThrown];
        super.visitVarInsn(Opcodes.ALOAD, skip);
        super.visitJumpInsn(Opcodes.IFNULL, proceed);
        super.visitVarInsn(Opcodes.ALOAD, skip);
        super.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/Throwable");
        super.visitVarInsn(Opcodes.ASTORE, thrownSlot);
        super.visitJumpInsn(Opcodes.GOTO, exit);
        super.visitLabel(proceed);
        frame(entryLocals(), null);
      }
    });
  }

  /**
   * Writes {@code body} inside a catch-all that drops whatever it throws, then goes on with
   * {@code locals} (the frame at both of its ends).
   */
  private void guarded(List<Object> locals, Runnable body) {
    Label start = new Label();
    Label end = new Label();
    Label failed = new Label();
    Label done = new Label();
    super.visitTryCatchBlock(start, end, failed, "java/lang/Throwable");
    super.visitLabel(start);
    body.run();
    super.visitLabel(end);
    super.visitJumpInsn(Opcodes.GOTO, done);
    super.visitLabel(failed);
    frame(locals, Advice.THROWABLE);
    super.visitInsn(Opcodes.POP);
    super.visitLabel(done);
    frame(locals, null);
  }

  /**
   * A return stores its value and jumps to the exit, whose frame has an empty stack: what the
   * method left under its result (legal, though javac never does it) is popped first.
   */
  @Override
  public void visitInsn(int opcode) {
    if (advice.exit != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
      Type returned = Type.getType(method.returned());
      if (returnedSlot >= 0) {
        super.visitVarInsn(returned.getOpcode(Opcodes.ISTORE), returnedSlot);
      }
      if (underResults != null) {
        int[] under = underResults.poll();
        for (int value = under == null ? -1 : under.length - 1; value >= 0; value--) {
          super.visitInsn(under[value] == 2 ? Opcodes.POP2 : Opcodes.POP);
        }
      } else {
        List<Object> stack = original.stack; // before the return: the result on top
        for (int top = stack == null ? -1 : stack.size() - 1 - returned.getSize(); top >= 0;
            top--) {
          boolean wide = stack.get(top) == Opcodes.TOP && top > 0
              && (stack.get(top - 1) == Opcodes.LONG || stack.get(top - 1) == Opcodes.DOUBLE);
          super.visitInsn(wide ? Opcodes.POP2 : Opcodes.POP);
          top -= wide ? 1 : 0;
        }
      }
      super.visitJumpInsn(Opcodes.GOTO, exit);
      return;
    }
    super.visitInsn(opcode);
  }

  /** The method's own frames (expanded), with the advice's locals after its own. */
  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    List<Object> locals = new ArrayList<>(Arrays.asList(local).subList(0, numLocal));
    int slots = 0;
    for (Object each : locals) {
      slots += each == Opcodes.LONG || each == Opcodes.DOUBLE ? 2 : 1;
    }
    for (; slots < ownLocals; slots++) {
      locals.add(Opcodes.TOP);
    }
    locals.addAll(adviceTypes);
    super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), numStack, stack);
  }

  /** After the method's last instruction: its handler, then the exit. */
  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (advice.exit != null) {
      if (advice.onThrowable) {
        Label codeEnd = new Label();
        Label threw = new Label();
        super.visitLabel(codeEnd);
        super.visitTryCatchBlock(codeStart, codeEnd, threw, "java/lang/Throwable");
        super.visitLabel(threw);
        frame(exitLocals(), Advice.THROWABLE);
        super.visitVarInsn(Opcodes.ASTORE, thrownSlot);
      }
      writeExit();
    }
    super.visitMaxs(maxStack, maxLocals); // recomputed by the writer
  }

  private void writeExit() {
    super.visitLabel(exit);
    frame(exitLocals(), null);
    guarded(exitLocals(), () -> push(advice.exit, false));
    if (thrownSlot >= 0) {
      Label returns = new Label();
      super.visitVarInsn(Opcodes.ALOAD, thrownSlot);
      super.visitJumpInsn(Opcodes.IFNULL, returns);
      super.visitVarInsn(Opcodes.ALOAD, thrownSlot);
      super.visitInsn(Opcodes.ATHROW);
      super.visitLabel(returns);
      frame(exitLocals(), null);
    }
    Type returned = Type.getType(method.returned());
    if (returnedSlot >= 0) {
      super.visitVarInsn(returned.getOpcode(Opcodes.ILOAD), returnedSlot);
    }
    super.visitInsn(returned.getOpcode(Opcodes.IRETURN));
  }

  /** Puts {@code value} on the stack: on entry, or at the exit (from the advice's copies). */
  private void push(Advice.Value value, boolean onEntry) {
    switch (value.kind) {
      case CALL:
        for (Advice.Value argument : value.arguments) {
          push(argument, onEntry);
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, Advice.HOOKS, value.name,
            advice.hookDescriptor(value), false);
        break;
      case SELF:
        super.visitVarInsn(Opcodes.ALOAD, onEntry || selfSlot < 0 ? 0 : selfSlot);
        break;
      case FIELD:
        super.visitVarInsn(Opcodes.ALOAD, onEntry || selfSlot < 0 ? 0 : selfSlot);
        super.visitFieldInsn(Opcodes.GETFIELD, owner, value.name, value.descriptor);
        break;
      case ARGUMENT:
      case OPTIONAL_ARGUMENT:
        if (!value.descriptor.equals(method.argument(value.index))) {
          super.visitInsn(Opcodes.ACONST_NULL); // optional, and not taken by this method
        } else {
          super.visitVarInsn(Type.getType(value.descriptor).getOpcode(Opcodes.ILOAD),
              onEntry ? argumentSlot(value.index) : argumentCopySlots[value.index]);
        }
        break;
      case RETURNED:
        if (returnedSlot >= 0 && Type.getType(method.returned()).getSort() >= Type.ARRAY) {
          super.visitVarInsn(Opcodes.ALOAD, returnedSlot);
        } else {
          super.visitInsn(Opcodes.ACONST_NULL);
        }
        break;
      case THROWN:
        if (thrownSlot >= 0) {
          super.visitVarInsn(Opcodes.ALOAD, thrownSlot);
        } else {
          super.visitInsn(Opcodes.ACONST_NULL);
        }
        break;
      case NULL:
        super.visitInsn(Opcodes.ACONST_NULL);
        break;
      case ENTERED:
        super.visitVarInsn(Type.getType(advice.descriptor(value)).getOpcode(Opcodes.ILOAD),
            enteredSlots[value.index]);
        break;
      default:
        throw new IllegalStateException(value.kind.name());
    }
  }

  /** A frame of the method's first instruction's locals, then the advice's. */
  private List<Object> entryLocals() {
    List<Object> locals = new ArrayList<>();
    if (!method.isStatic()) {
      locals.add(owner);
    }
    int slots = locals.size();
    for (int i = 0; i < method.argumentCount(); i++) {
      Type type = Type.getType(method.argument(i));
      locals.add(frameType(type.getDescriptor()));
      slots += type.getSize();
    }
    return withAdviceLocals(locals, slots);
  }

  /**
   * At the exit: the method's own slots unknown (whatever its code left there), the constructed
   * object's excepted (a constructor's exit reads it from slot 0, where javac keeps it).
   */
  private List<Object> exitLocals() {
    List<Object> locals = new ArrayList<>();
    if (method.isConstructor()) {
      locals.add(owner);
    }
    return withAdviceLocals(locals, locals.size());
  }

  private List<Object> withAdviceLocals(List<Object> locals, int slots) {
    for (; slots < ownLocals; slots++) {
      locals.add(Opcodes.TOP);
    }
    locals.addAll(adviceTypes);
    return locals;
  }

  private void frame(List<Object> locals, String stackTop) {
    if (underResults != null) { // no stack map frames
      return;
    }
    Object[] stack = stackTop == null ? new Object[0] : new Object[] {frameType(stackTop)};
    super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.length, stack);
  }

  private int argumentSlot(int index) {
    int slot = method.isStatic() ? 0 : 1;
    for (int i = 0; i < index; i++) {
      slot += Type.getType(method.argument(i)).getSize();
    }
    return slot;
  }

  /** Sets a local of the advice's to null or zero; returns its size in slots. */
  private int storeDefault(Object type, int slot) {
    if (type == Opcodes.LONG) {
      super.visitInsn(Opcodes.LCONST_0);
      super.visitVarInsn(Opcodes.LSTORE, slot);
      return 2;
    } else if (type == Opcodes.DOUBLE) {
      super.visitInsn(Opcodes.DCONST_0);
      super.visitVarInsn(Opcodes.DSTORE, slot);
      return 2;
    } else if (type == Opcodes.FLOAT) {
      super.visitInsn(Opcodes.FCONST_0);
      super.visitVarInsn(Opcodes.FSTORE, slot);
    } else if (type == Opcodes.INTEGER) {
      super.visitInsn(Opcodes.ICONST_0);
      super.visitVarInsn(Opcodes.ISTORE, slot);
    } else {
      super.visitInsn(Opcodes.ACONST_NULL);
      super.visitVarInsn(Opcodes.ASTORE, slot);
    }
    return 1;
  }

  /** A stack map frame's type for a value of that descriptor. */
  private static Object frameType(String descriptor) {
    switch (descriptor.charAt(0)) {
      case 'Z':
      case 'B':
      case 'C':
      case 'S':
      case 'I':
        return Opcodes.INTEGER;
      case 'J':
        return Opcodes.LONG;
      case 'F':
        return Opcodes.FLOAT;
      case 'D':
        return Opcodes.DOUBLE;
      case 'L':
        return descriptor.substring(1, descriptor.length() - 1);
      default:
        return descriptor; // an array: its descriptor is its internal name
    }
  }
}
