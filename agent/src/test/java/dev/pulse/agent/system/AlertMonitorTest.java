package dev.pulse.agent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.broadcaster.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertMonitorTest {
  /**
   * Figures read the way clean-clone CI runs read them: a failure counted before its statement
   * (the two are separate sums, read one after the other while statements run). Not a mock of
   * anything real: the figures are the monitor's input interface.
   */
  private static final class RacingFigures implements RequestFigures {
    long statements;
    long failures;

    @Override
    public long totalRequests() {
      return statements;
    }

    @Override
    public long failedRequests() {
      return failures;
    }

    @Override
    public double averageResponseMillis() {
      return 0;
    }

    @Override
    public int activeConnections() {
      return 0;
    }

    @Override
    public List<PoolReading> pools() {
      return List.of();
    }
  }

  @Test
  void aFailureReadBeforeItsStatementNeverMakesTheRateOverOneHundredPercent() {
    RacingFigures figures = new RacingFigures();
    List<Event> published = new ArrayList<>();
    figures.statements = 1000; // all succeeded
    AlertMonitor monitor = monitor(figures, published, 1);
    // then every statement fails; one failure is read before its statement ("1252 of 1251", CI)
    figures.statements = 2251;
    figures.failures = 1252;
    monitor.run();
    assertRate(published, "1251 of 1251");
  }

  @Test
  void aFailureReadBeforeItsStatementCountsInTheCheckThatReadsTheStatement() {
    RacingFigures figures = new RacingFigures();
    List<Event> published = new ArrayList<>();
    figures.statements = 1000; // all succeeded
    AlertMonitor monitor = monitor(figures, published, 2);
    figures.statements = 2251;
    figures.failures = 1252;
    monitor.run();
    // the next check reads that statement: not one failure short of all ("1596 of 1597", CI)
    figures.statements = 3848;
    figures.failures = 2848;
    monitor.run();
    assertRate(published, "1597 of 1597");
  }

  /** Only the error rate can fire; it fires after {@code checks} checks over 20 %. */
  private static AlertMonitor monitor(RequestFigures figures, List<Event> published, int checks) {
    AlertThreshold never = new AlertThreshold(1_000, 10, 1, 1);
    return new AlertMonitor(published::add, figures, never, never, never,
        new AlertThreshold(20, 10, checks, 1), 1);
  }

  private static void assertRate(List<Event> published, String counts) {
    Event alert = published.stream()
        .filter(e -> "error_rate".equals(e.data().get("alert_id")))
        .findFirst().orElseThrow();
    assertEquals(100.0, ((Number) alert.data().get("value")).doubleValue(), 0.0,
        alert.data().toString());
    assertTrue(alert.data().get("message").toString().contains(counts), alert.data().toString());
  }
}
