package dev.pulse.agent.instrumentation;

import java.util.ArrayList;
import java.util.List;

/**
 * What an instrumentation weaves into the methods it advises: calls of {@link PulseHooks}' static
 * methods as the method is entered and as it returns or throws, and the values passed to them.
 * Each call is guarded by a catch-all (a hook that fails, or that the method's class loader cannot
 * see, leaves the method running as it would have), and the method's own instructions are kept
 * between them ({@link AdviceWeaver}).
 */
public final class Advice {
  static final String HOOKS = "dev/pulse/agent/instrumentation/PulseHooks";
  static final String CALL_CONTEXT = "Ldev/pulse/agent/instrumentation/CallContext;";
  static final String OBJECT = "Ljava/lang/Object;";
  static final String THROWABLE = "Ljava/lang/Throwable;";

  final List<Value> enter;
  final Value exit;
  /** Whether the exit call also runs when the method throws. */
  final boolean onThrowable;
  /** The entered value that, when not null, is thrown instead of running the method; or -1. */
  final int skipWhenThrown;

  private Advice(List<Value> enter, Value exit, boolean onThrowable, int skipWhenThrown) {
    this.enter = enter;
    this.exit = exit;
    this.onThrowable = onThrowable;
    this.skipWhenThrown = skipWhenThrown;
  }

  /** Calls (or reads) made on entry, in order; each result is kept ({@link #entered}). */
  public static Advice onEnter(Value... steps) {
    return new Advice(List.of(steps), null, false, -1);
  }

  /** A call made as the method returns normally. */
  public Advice onReturn(Value call) {
    return new Advice(enter, call, false, skipWhenThrown);
  }

  /** A call made as the method returns or throws; what it threw is still thrown after. */
  public Advice onExit(Value call) {
    return new Advice(enter, call, true, skipWhenThrown);
  }

  /**
   * When entered value {@code index} (a Throwable or null) is not null, the method's code is
   * skipped and the exit sees it thrown, as the caller then does.
   */
  public Advice skipThrowing(int index) {
    return new Advice(enter, exit, onThrowable, index);
  }

  /** {@code PulseHooks.context()}: the thread's call context. */
  public static Value context() {
    return call("context", CALL_CONTEXT);
  }

  /** {@code PulseHooks.name(arguments...)}, which returns a value of type {@code returns}. */
  public static Value call(String name, String returns, Value... arguments) {
    return new Value(Value.Kind.CALL, name, returns, -1, List.of(arguments));
  }

  /** The advised object, passed as an Object. */
  public static Value self() {
    return new Value(Value.Kind.SELF, null, OBJECT, -1, List.of());
  }

  /** The method's argument {@code index}, of that type. */
  public static Value argument(int index, String descriptor) {
    return new Value(Value.Kind.ARGUMENT, null, descriptor, index, List.of());
  }

  /** The argument {@code index} where the method takes an object of that type there, else null. */
  public static Value optionalArgument(int index, String descriptor) {
    if (descriptor.charAt(0) != 'L' && descriptor.charAt(0) != '[') {
      throw new IllegalArgumentException("an optional argument is an object: " + descriptor);
    }
    return new Value(Value.Kind.OPTIONAL_ARGUMENT, null, descriptor, index, List.of());
  }

  /** What the method returned (an Object), null when it threw or returns no object. */
  public static Value returned() {
    return new Value(Value.Kind.RETURNED, null, OBJECT, -1, List.of());
  }

  /** What the method threw, or null. */
  public static Value thrown() {
    return new Value(Value.Kind.THROWN, null, THROWABLE, -1, List.of());
  }

  /** A null Object. */
  public static Value nothing() {
    return new Value(Value.Kind.NULL, null, OBJECT, -1, List.of());
  }

  /** The result of entry step {@code index}. */
  public static Value entered(int index) {
    return new Value(Value.Kind.ENTERED, null, null, index, List.of());
  }

  /** The advised object's field of that name and type (its class's or a superclass's). */
  public static Value field(String name, String descriptor) {
    return new Value(Value.Kind.FIELD, name, descriptor, -1, List.of());
  }

  /** The type of what the value puts on the stack: a hook's parameter type. */
  String descriptor(Value value) {
    return value.kind == Value.Kind.ENTERED ? descriptor(enter.get(value.index)) : value.descriptor;
  }

  /** A hook's method descriptor. */
  String hookDescriptor(Value call) {
    StringBuilder descriptor = new StringBuilder("(");
    for (Value argument : call.arguments) {
      descriptor.append(argument.passedAs != null ? argument.passedAs : descriptor(argument));
    }
    return descriptor.append(')').append(call.descriptor).toString();
  }

  /** The values of that kind the exit call reads, its arguments' arguments included. */
  List<Value> exitReads(Value.Kind kind) {
    List<Value> found = new ArrayList<>();
    if (exit != null) {
      collect(exit, kind, found);
    }
    return found;
  }

  /** The values of that kind read on entry or at the exit. */
  List<Value> reads(Value.Kind kind) {
    List<Value> found = exitReads(kind);
    for (Value step : enter) {
      collect(step, kind, found);
    }
    return found;
  }

  private static void collect(Value value, Value.Kind kind, List<Value> found) {
    if (value.kind == kind) {
      found.add(value);
    }
    for (Value argument : value.arguments) {
      collect(argument, kind, found);
    }
  }

  /** One value the woven code computes. */
  public static final class Value {
    enum Kind { CALL, SELF, ARGUMENT, OPTIONAL_ARGUMENT, RETURNED, THROWN, ENTERED, FIELD, NULL }

    final Kind kind;
    /** A hook's or a field's name. */
    final String name;
    /** Its type; for a call, the hook's return type. */
    final String descriptor;
    /** An argument's or an entry step's index. */
    final int index;
    final List<Value> arguments;
    /** The hook's parameter type, where it is a supertype of the value's; else null. */
    final String passedAs;

    private Value(Kind kind, String name, String descriptor, int index, List<Value> arguments) {
      this(kind, name, descriptor, index, arguments, null);
    }

    private Value(Kind kind, String name, String descriptor, int index, List<Value> arguments,
        String passedAs) {
      this.kind = kind;
      this.name = name;
      this.descriptor = descriptor;
      this.index = index;
      this.arguments = arguments;
      this.passedAs = passedAs;
    }

    /** The same value, passed to a hook that takes a supertype of it (an Object). */
    public Value as(String parameter) {
      return new Value(kind, name, descriptor, index, arguments, parameter);
    }
  }
}
