package dev.pulse.agent.instrumentation;

import dev.pulse.log.PulseLog;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the transformer weaves, decided once by the agent's start thread: the instrumentations
 * (opened when every listener is registered, so no event of a woven class is lost) or none (JDBC
 * instrumentation off, or the start failed). A class that needs advice before the decision waits
 * for it on its loading thread; every other class passes at once.
 */
final class WeavingGate {
  private static final PulseLog LOG = PulseLog.forComponent("instrumentation");
  /** A start that has not decided by then is broken: the host is not held longer. */
  private static final long MAX_WAIT_SECONDS = 30;

  private final CountDownLatch decided = new CountDownLatch(1);
  private volatile List<Instrumentation> instrumentations = List.of();

  static WeavingGate opened(List<Instrumentation> instrumentations) {
    WeavingGate gate = new WeavingGate();
    gate.open(instrumentations);
    return gate;
  }

  /** Weaves these from now on. Ignored once decided. */
  synchronized void open(List<Instrumentation> chosen) {
    if (decided.getCount() != 0) {
      instrumentations = List.copyOf(chosen);
      decided.countDown();
    }
  }

  /** Weaves nothing. Ignored once decided. */
  synchronized void shut() {
    decided.countDown();
  }

  /** The instrumentations to weave, once decided; none if no decision came in time. */
  List<Instrumentation> await() {
    if (decided.getCount() != 0) {
      try {
        if (!decided.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
          LOG.warn("the agent's start has not finished in " + MAX_WAIT_SECONDS
              + " s; a class loaded meanwhile is left unchanged");
          return List.of();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the host's interrupt stays the host's
        return List.of();
      }
    }
    return instrumentations;
  }
}
