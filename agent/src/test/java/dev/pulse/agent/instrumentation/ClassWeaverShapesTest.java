package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Bytecode shapes javac does not produce but other compilers and tools may, woven and verified in a
 * loader of their own, as {@link ClassWeaverTest} does for javac's.
 */
class ClassWeaverShapesTest {
  private static final Advice AROUND = Advice.onEnter(Advice.call("enterInternal", "V"))
      .onExit(Advice.call("exitInternal", "V"));

  /** A return may leave values under its own on the stack: legal, and the JVM discards them. */
  @Test
  void aReturnWithMoreOnTheStack() throws Exception {
    Class<?> type = wovenClass("shapes/ExtraStack", Opcodes.V11, "m", "()I", AROUND, mv -> {
      mv.visitInsn(Opcodes.ICONST_1);
      mv.visitInsn(Opcodes.ICONST_2);
      mv.visitInsn(Opcodes.IRETURN);
    });
    assertEquals(2, invoke(type, "m"));
  }

  /** The same with a long under the result and none under a void return. */
  @Test
  void aReturnWithALongUnderItsResult() throws Exception {
    Class<?> type = wovenClass("shapes/WideExtraStack", Opcodes.V11, "m", "()I", AROUND, mv -> {
      mv.visitInsn(Opcodes.LCONST_1);
      mv.visitInsn(Opcodes.ICONST_1);
      mv.visitInsn(Opcodes.ICONST_2);
      mv.visitInsn(Opcodes.IRETURN);
    });
    assertEquals(2, invoke(type, "m"));
    Class<?> empty = wovenClass("shapes/VoidExtraStack", Opcodes.V11, "m", "()V", AROUND, mv -> {
      mv.visitInsn(Opcodes.DCONST_1);
      mv.visitInsn(Opcodes.RETURN);
    });
    assertEquals(null, invoke(empty, "m"));
  }

  /** An early return whose jump to the exit, past the rest of a big method, is over 32 KB. */
  @Test
  void aReturnFarFromTheEndOfABigMethod() throws Exception {
    Class<?> type = wovenClass("shapes/Far", Opcodes.V11, "m", "(I)I", AROUND, mv -> {
      Label later = new Label();
      mv.visitVarInsn(Opcodes.ILOAD, 0);
      mv.visitJumpInsn(Opcodes.IFNE, later);
      mv.visitInsn(Opcodes.ICONST_1);
      mv.visitInsn(Opcodes.IRETURN);
      mv.visitLabel(later);
      for (int i = 0; i < 20_000; i++) {
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.POP);
      }
      mv.visitInsn(Opcodes.ICONST_2);
      mv.visitInsn(Opcodes.IRETURN);
    });
    int before = WeaverSampleDepth.now();
    assertEquals(1, invoke(type, "m", 0));
    assertEquals(2, invoke(type, "m", 1));
    assertEquals(before, WeaverSampleDepth.now());
  }

  /** Past slot 255 the weaver's locals need wide loads and stores. */
  @Test
  void aMethodWithMoreThan255Locals() throws Exception {
    Class<?> type = wovenClass("shapes/ManyLocals", Opcodes.V11, "m", "(J)J", AROUND, mv -> {
      mv.visitVarInsn(Opcodes.LLOAD, 0);
      mv.visitVarInsn(Opcodes.LSTORE, 400);
      mv.visitVarInsn(Opcodes.LLOAD, 400);
      mv.visitInsn(Opcodes.LRETURN);
    });
    assertEquals(7L, invoke(type, "m", 7L));
  }

  /** Counts slot 0 (an int) down to 0 in a loop and returns it (0). */
  private static final Body COUNT_DOWN = mv -> {
    Label top = new Label();
    Label done = new Label();
    mv.visitLabel(top);
    mv.visitVarInsn(Opcodes.ILOAD, 0);
    mv.visitJumpInsn(Opcodes.IFLE, done);
    mv.visitIincInsn(0, -1);
    mv.visitJumpInsn(Opcodes.GOTO, top);
    mv.visitLabel(done);
    mv.visitVarInsn(Opcodes.ILOAD, 0);
    mv.visitInsn(Opcodes.IRETURN);
  };

  /** A class file before version 50: no stack map frames, the old verifier. */
  @Test
  void anOldClassFileWithALoop() throws Exception {
    Class<?> type = wovenClass("shapes/Old", Opcodes.V1_4, "m", "(I)I", AROUND, COUNT_DOWN);
    assertEquals(0, invoke(type, "m", 5));
  }

  /** Version 50 may omit stack map frames (the JVM then infers the types): a loop without one. */
  @Test
  void aVersion50ClassFileWithoutFrames() throws Exception {
    Class<?> type = wovenClass("shapes/NoFrames50", Opcodes.V1_6, "m", "(I)I", AROUND,
        COUNT_DOWN, ClassWriter.COMPUTE_MAXS);
    assertEquals(0, invoke(type, "m", 5));
  }

  /**
   * Without stack map frames, a return after a jump with values under its result (another
   * compiler's or a tool's code): nothing in the file says what the stack holds there.
   */
  @Test
  void aFramelessReturnAfterAJumpWithValuesUnderItsResult() throws Exception {
    Body body = mv -> {
      Label later = new Label();
      mv.visitVarInsn(Opcodes.ILOAD, 0);
      mv.visitJumpInsn(Opcodes.IFNE, later);
      mv.visitInsn(Opcodes.ICONST_1);
      mv.visitInsn(Opcodes.IRETURN);
      mv.visitLabel(later);
      mv.visitInsn(Opcodes.LCONST_1);
      mv.visitInsn(Opcodes.ICONST_5);
      mv.visitInsn(Opcodes.ICONST_2);
      mv.visitInsn(Opcodes.IRETURN);
    };
    for (int version : new int[] {Opcodes.V1_4, Opcodes.V1_6}) {
      Class<?> type = wovenClass("shapes/UnderAfterJump" + version, version, "m", "(I)I", AROUND,
          body, ClassWriter.COMPUTE_MAXS);
      int before = WeaverSampleDepth.now();
      assertEquals(1, invoke(type, "m", 0));
      assertEquals(2, invoke(type, "m", 1));
      assertEquals(before, WeaverSampleDepth.now(), "the advice ran at both returns");
    }
  }

  /** A subroutine (jsr/ret: a finally block of a Java 1.4 compiler) is inlined and woven. */
  @Test
  void aMethodWithASubroutine() throws Exception {
    byte[] woven = woven("shapes/Subroutine", Opcodes.V1_4, "m", "(I)I", AROUND, mv -> {
      Label finallyBlock = new Label();
      mv.visitJumpInsn(Opcodes.JSR, finallyBlock);
      mv.visitVarInsn(Opcodes.ILOAD, 0);
      mv.visitInsn(Opcodes.IRETURN);
      mv.visitLabel(finallyBlock);
      mv.visitVarInsn(Opcodes.ASTORE, 1);
      mv.visitIincInsn(0, 1);
      mv.visitVarInsn(Opcodes.RET, 1);
    }, ClassWriter.COMPUTE_MAXS);
    assertTrue(new String(woven, StandardCharsets.ISO_8859_1).contains("enterInternal"),
        "woven, not left out");
    Class<?> type = define("shapes.Subroutine", woven);
    int before = WeaverSampleDepth.now();
    assertEquals(4, invoke(type, "m", 3));
    assertEquals(before, WeaverSampleDepth.now());
  }

  /** A method whose own locals leave no slot for the advice's is refused (the class unchanged). */
  @Test
  void aMethodWithNoRoomForTheAdvicesLocals() {
    assertThrows(IllegalStateException.class, () -> wovenClass("shapes/Full", Opcodes.V11, "m",
        "(J)J", AROUND, mv -> {
          mv.visitVarInsn(Opcodes.LLOAD, 0);
          mv.visitVarInsn(Opcodes.LSTORE, 65533);
          mv.visitVarInsn(Opcodes.LLOAD, 65533);
          mv.visitInsn(Opcodes.LRETURN);
        }));
  }

  /** Every method and constructor of javac's WeaverShapesSample, each with the advice it takes. */
  @Test
  void javacShapes() throws Exception {
    Advice exitReadsArguments = Advice.onEnter(Advice.call("enterInternal", "V"))
        .onExit(Advice.call("acquireExit", "V", Advice.nothing().as(Advice.CALL_CONTEXT),
            Advice.argument(0, "J"), Advice.nothing(), Advice.nothing(), Advice.thrown(),
            Advice.optionalArgument(3, "Ljava/lang/String;")));
    Advice exitReadsSelf = Advice.onEnter(Advice.context())
        .onExit(Advice.call("transactionEnded", "V", Advice.self()));
    Advice constructed = Advice.onEnter()
        .onReturn(Advice.call("transactionEnded", "V", Advice.self()));
    String name = WeaverShapesSample.class.getName();
    byte[] classFile;
    try (java.io.InputStream in =
        WeaverShapesSample.class.getResourceAsStream("WeaverShapesSample.class")) {
      classFile = in.readAllBytes();
    }
    Map<String, List<ClassWeaver.Woven>> advised = new java.util.HashMap<>();
    for (MethodFacts method : TestClassFacts.of(name).methods()) {
      Advice advice = method.isConstructor() ? constructed
          : method.isStatic() ? exitReadsArguments : exitReadsSelf;
      if (AdviceWeaver.supports(advice, method)) {
        advised.put(method.name() + method.descriptor(),
            List.of(new ClassWeaver.Woven(method, advice)));
      }
    }
    assertEquals(7, advised.size(), advised.keySet().toString());
    Class<?> type = define(name, ClassWeaver.weave(classFile, advised));
    Object sample = type.getConstructor().newInstance();
    Object early = type.getConstructor(boolean.class).newInstance(false);
    assertEquals("early", type.getField("kept").get(early));
    assertEquals("a", type.getMethod("built", boolean.class).invoke(sample, true).toString());
    assertEquals(10L, type.getMethod("mix", long.class, double.class, int.class, String.class)
        .invoke(null, 4L, 2.5d, 1, "abc"));
    assertEquals(8, type.getMethod("locked", int.class).invoke(sample, 4));
    java.lang.reflect.InvocationTargetException thrown = org.junit.jupiter.api.Assertions
        .assertThrows(java.lang.reflect.InvocationTargetException.class,
            () -> type.getMethod("locked", int.class).invoke(sample, -1));
    assertEquals("negative", thrown.getCause().getMessage());
    org.junit.jupiter.api.Assertions.assertFalse(Thread.holdsLock(sample));
    assertEquals(3, type.getMethod("block", int.class).invoke(sample, 2));
    assertEquals("one", type.getMethod("finallyReturns", int.class).invoke(sample, 1));
    assertEquals("finally", type.getField("kept").get(sample));
  }

  /** A constructor may put something else in slot 0 once the object is built: left unwoven. */
  @Test
  void aConstructorThatReusesSlotZero() throws Exception {
    ClassWriter writer = newClass("shapes/Slot0");
    MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    mv.visitCode();
    callObjectConstructor(mv);
    mv.visitInsn(Opcodes.ICONST_0);
    mv.visitVarInsn(Opcodes.ISTORE, 0);
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    writer.visitEnd();
    MethodFacts facts = new MethodFacts(Opcodes.ACC_PUBLIC, "<init>", "()V");
    Advice advice = Advice.onEnter().onReturn(Advice.call("enterInternal", "V"));
    byte[] woven = ClassWeaver.weave(writer.toByteArray(),
        Map.of("<init>()V", List.of(new ClassWeaver.Woven(facts, advice))));
    int before = WeaverSampleDepth.now();
    define("shapes.Slot0", woven).getConstructor().newInstance(); // no VerifyError
    assertEquals(before, WeaverSampleDepth.now(), "left as it was");
  }

  /** An instance method that overwrites {@code this}: its own frames no longer hold the object. */
  @Test
  void anInstanceMethodThatOverwritesThis() throws Exception {
    ClassWriter writer = newClass("shapes/NoThis");
    MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    callObjectConstructor(init);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC, "m", "(I)I", null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ILOAD, 1);
    mv.visitVarInsn(Opcodes.ISTORE, 0); // this is gone: slot 0 now counts down
    COUNT_DOWN.write(mv);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    writer.visitEnd();
    MethodFacts facts = new MethodFacts(Opcodes.ACC_PUBLIC, "m", "(I)I");
    Advice advice = Advice.onEnter(Advice.context())
        .onExit(Advice.call("transactionEnded", "V", Advice.self()));
    byte[] woven = ClassWeaver.weave(writer.toByteArray(),
        Map.of("m(I)I", List.of(new ClassWeaver.Woven(facts, advice))));
    Class<?> type = define("shapes.NoThis", woven);
    assertEquals(0, type.getMethod("m", int.class).invoke(type.getConstructor().newInstance(), 3));
  }

  /**
   * A loader that cannot see the agent's hooks (nor CallContext, a type of the advice's locals):
   * the woven class must still verify and run, its advice failing inside its catch-alls.
   */
  @Test
  void aLoaderThatCannotSeeTheHooks() throws Exception {
    Advice statement = Advice.onEnter(Advice.context(),
            Advice.call("statementEnter", "J", Advice.entered(0)))
        .onExit(Advice.call("statementExit", "V", Advice.entered(0), Advice.entered(1),
            Advice.nothing(), Advice.optionalArgument(0, "Ljava/lang/String;"), Advice.returned(),
            Advice.thrown()));
    ClassWriter writer = newClass("shapes/Blind");
    MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "m",
        "(Ljava/lang/String;)Ljava/lang/Object;", null, null);
    mv.visitCode();
    Label other = new Label();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitJumpInsn(Opcodes.IFNULL, other);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitLabel(other);
    mv.visitLdcInsn("none");
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    writer.visitEnd();
    String descriptor = "(Ljava/lang/String;)Ljava/lang/Object;";
    MethodFacts facts = new MethodFacts(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "m", descriptor);
    byte[] woven = ClassWeaver.weave(writer.toByteArray(),
        Map.of("m" + descriptor, List.of(new ClassWeaver.Woven(facts, statement))));
    ClassLoader blind = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
      @Override
      protected Class<?> findClass(String className) throws ClassNotFoundException {
        if (className.equals("shapes.Blind")) {
          return defineClass(className, woven, 0, woven.length);
        }
        throw new ClassNotFoundException(className);
      }
    };
    Class<?> type = Class.forName("shapes.Blind", true, blind);
    assertEquals("x", type.getMethod("m", String.class).invoke(null, "x"));
    assertEquals("none", type.getMethod("m", String.class).invoke(null, (Object) null));
  }

  private static Object invoke(Class<?> type, String name, Object... arguments) throws Exception {
    for (Method method : type.getDeclaredMethods()) {
      if (method.getName().equals(name)) {
        return method.invoke(null, arguments);
      }
    }
    throw new NoSuchMethodException(name);
  }

  /** A public class of that internal name, version 11, frames computed by ASM. */
  private static ClassWriter newClass(String internalName) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null,
        "java/lang/Object", null);
    return writer;
  }

  /** {@code super()}: Object's constructor on slot 0. */
  private static void callObjectConstructor(MethodVisitor mv) {
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
  }

  interface Body {
    void write(MethodVisitor mv);
  }

  /** A public class with one public static method of that body, woven, in a loader of its own. */
  static Class<?> wovenClass(String internalName, int version, String method, String descriptor,
      Advice advice, Body body) throws Exception {
    return wovenClass(internalName, version, method, descriptor, advice, body,
        version >= Opcodes.V1_6 ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS);
  }

  static Class<?> wovenClass(String internalName, int version, String method, String descriptor,
      Advice advice, Body body, int flags) throws Exception {
    return define(internalName.replace('/', '.'),
        woven(internalName, version, method, descriptor, advice, body, flags));
  }

  /** The class file of such a class, woven. */
  static byte[] woven(String internalName, int version, String method, String descriptor,
      Advice advice, Body body, int flags) {
    ClassWriter writer = new ClassWriter(flags);
    writer.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null,
        "java/lang/Object", null);
    int access = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC;
    MethodVisitor mv = writer.visitMethod(access, method, descriptor, null, null);
    mv.visitCode();
    body.write(mv);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    writer.visitEnd();
    byte[] plain = writer.toByteArray();
    MethodFacts facts = new MethodFacts(access, method, descriptor);
    return ClassWeaver.weave(plain, Map.of(method + descriptor,
        List.of(new ClassWeaver.Woven(facts, advice))));
  }

  static Class<?> define(String name, byte[] classFile) throws Exception {
    ClassLoader own = new ClassLoader(ClassWeaverShapesTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String className) throws ClassNotFoundException {
        if (className.equals(name)) {
          return defineClass(className, classFile, 0, classFile.length);
        }
        throw new ClassNotFoundException(className);
      }
    };
    return Class.forName(name, true, own);
  }
}
