package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.PulseHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into commit() and rollback(): SET LOCAL values end with the transaction. */
public final class TransactionEndAdvice {
  private TransactionEndAdvice() {
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.This Object connection) {
    PulseHooks.transactionEnded(connection);
  }
}
