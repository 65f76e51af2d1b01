package dev.pulse.agent.instrumentation;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** A method as its class file declares it: what the instrumentations' method matchers see. */
public final class MethodFacts {
  private final int access;
  private final String name;
  private final String descriptor;
  private final Type[] arguments;

  MethodFacts(int access, String name, String descriptor) {
    this.access = access;
    this.name = name;
    this.descriptor = descriptor;
    this.arguments = Type.getArgumentTypes(descriptor);
  }

  int access() {
    return access;
  }

  public String name() {
    return name;
  }

  public String descriptor() {
    return descriptor;
  }

  public boolean isNamed(String... names) {
    for (String each : names) {
      if (each.equals(name)) {
        return true;
      }
    }
    return false;
  }

  public boolean isPublic() {
    return (access & Opcodes.ACC_PUBLIC) != 0;
  }

  /** True for a method with code: neither abstract nor native. */
  public boolean hasBody() {
    return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
  }

  public boolean isConstructor() {
    return "<init>".equals(name);
  }

  public boolean isStatic() {
    return (access & Opcodes.ACC_STATIC) != 0;
  }

  public int argumentCount() {
    return arguments.length;
  }

  /** The descriptor of argument {@code index} ("I", "Ljava/lang/String;"), or null past them. */
  public String argument(int index) {
    return index < arguments.length ? arguments[index].getDescriptor() : null;
  }

  /** The return type's descriptor ("V", "Ljava/sql/Connection;"). */
  public String returned() {
    return descriptor.substring(descriptor.indexOf(')') + 1);
  }
}
