package dev.pulse.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.pulse.agent.instrumentation.Instrumentation;
import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code commit()} and {@code rollback()}: SET LOCAL values end with the transaction. */
public final class TransactionEndInstrumentation implements Instrumentation {
  @Override
  public ElementMatcher<TypeDescription> types() {
    return JdbcTypes.connections();
  }

  @Override
  public ElementMatcher<MethodDescription> methods() {
    return JdbcTypes.implemented("commit", "rollback").and(takesArguments(0));
  }

  @Override
  public String adviceClass() {
    return TransactionEndAdvice.class.getName();
  }

  public static final class TransactionEndAdvice {
    private TransactionEndAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object connection) {
      PulseHooks.transactionEnded(connection);
    }
  }
}
