package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.hikari.HikariInstrumentations;
import dev.pulse.agent.instrumentation.jdbc.JdbcInstrumentations;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import sample.overlap.BothCloseSample;

/**
 * A class that needs advice and loads before the agent's start has read its settings is
 * woven at once but defined only after: with the woven class when the start opens the gate,
 * unchanged when it shuts it. Every other class passes without waiting.
 */
class WeavingGateTest {
  private static final long DEADLINE_MILLIS = 30_000;

  @Test
  void aWovenClassWaitsForTheGateAndIsDefinedWovenWhenItOpens() throws Exception {
    StartDecision gate = undecided();
    Loading loading = new Loading(gate);
    loading.awaitWaitingOnTheGate();
    gate.open();
    assertNotNull(loading.result(), "defined woven once the gate opened");
  }

  @Test
  void aWovenClassIsDefinedUnchangedWhenTheGateShuts() throws Exception {
    StartDecision gate = undecided();
    Loading loading = new Loading(gate);
    loading.awaitWaitingOnTheGate();
    gate.shut();
    assertNull(loading.result(), "left unchanged");
  }

  @Test
  void aClassThatNeedsNoAdviceNeverWaits() throws Exception {
    StartDecision gate = undecided(); // never decided
    byte[] plain;
    try (InputStream in = WeavingGateTest.class.getResourceAsStream("WeavingGateTest.class")) {
      plain = in.readAllBytes();
    }
    assertNull(transformer(gate).transform(WeavingGateTest.class.getClassLoader(),
        "dev/pulse/agent/instrumentation/WeavingGateTest", null, null, plain));
  }

  @Test
  void anInterruptDoesNotLeaveTheClassUnwoven() throws Exception {
    StartDecision gate = undecided();
    Loading loading = new Loading(gate);
    loading.awaitWaitingOnTheGate();
    loading.thread.interrupt();
    loading.awaitWaitingOnTheGate(); // still waiting for the decision
    gate.open();
    assertNotNull(loading.result(), "defined woven");
    assertTrue(loading.interruptKept.get(), "the host's interrupt is kept");
  }

  @Test
  void theFirstDecisionStands() {
    StartDecision shut = undecided();
    shut.shut();
    shut.open();
    assertFalse(shut.await());
    StartDecision open = undecided();
    open.open();
    open.shut();
    assertTrue(open.await());
  }

  @Test
  void aStartThatNeverDecidesHoldsTheHostOnceNotAtEveryWait() {
    long maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(200);
    AtomicInteger toldGivenUp = new AtomicInteger();
    StartDecision never = new StartDecision(maxWaitNanos, toldGivenUp::incrementAndGet);
    long start = System.nanoTime();
    assertFalse(never.await());
    assertTrue(System.nanoTime() - start >= maxWaitNanos, "waited the whole limit first");
    int later = 50;
    long laterStart = System.nanoTime();
    for (int i = 0; i < later; i++) {
      assertFalse(never.await());
    }
    // each waiting its own limit would take at least later × 200 ms
    assertTrue(System.nanoTime() - laterStart < later * maxWaitNanos,
        "later waits gave up at once");
    assertEquals(1, toldGivenUp.get(), "told once");
    never.open();
    assertTrue(never.await(), "a decision that comes late still stands");
  }

  /** A host thread loading a JDBC class through the transformer. */
  private static final class Loading {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final AtomicBoolean interruptKept = new AtomicBoolean();
    private final Thread thread;

    Loading(StartDecision gate) throws Exception {
      byte[] classFile;
      try (InputStream in = BothCloseSample.class.getResourceAsStream("BothCloseSample.class")) {
        classFile = in.readAllBytes();
      }
      AdviceTransformer transformer = transformer(gate);
      thread = new Thread(() -> {
        try {
          byte[] defined = transformer.transform(BothCloseSample.class.getClassLoader(),
              "sample/overlap/BothCloseSample", null, null, classFile);
          interruptKept.set(Thread.currentThread().isInterrupted());
          result.complete(defined);
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      }, "host-loading-thread");
      thread.setDaemon(true);
      thread.start();
    }

    /** Until the thread waits on the gate, its weaving done; it must not have finished. */
    void awaitWaitingOnTheGate() throws InterruptedException {
      long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
      while (thread.getState() != Thread.State.TIMED_WAITING) {
        assertFalse(result.isDone(), "defined before the gate was decided");
        assertTrue(System.currentTimeMillis() < deadline, "never waited on the gate");
        Thread.sleep(5);
      }
      assertFalse(result.isDone(), "defined before the gate was decided");
    }

    byte[] result() throws Exception {
      return result.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private static StartDecision undecided() {
    return new StartDecision(StartDecision.MAX_WAIT_NANOS, () -> { });
  }

  private static AdviceTransformer transformer(StartDecision gate) {
    List<Instrumentation> all = new ArrayList<>(JdbcInstrumentations.all());
    all.addAll(HikariInstrumentations.all());
    return new AdviceTransformer(new MentionFilter(List.of("java/sql/", "com/zaxxer/hikari/")),
        all, gate, new ClassFactsCache());
  }
}
