package dev.pulse.agent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.broadcaster.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertMonitorTest {
  /**
   * Figures read the way a clean-clone CI run read them: a failure counted before its statement
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
    AlertThreshold never = new AlertThreshold(1_000, 10, 1, 1);
    AlertMonitor monitor = new AlertMonitor(published::add, figures, never, never, never,
        new AlertThreshold(20, 10, 1, 1), 1);
    figures.statements = 1251;
    figures.failures = 1252;
    monitor.run();
    Event alert = published.stream()
        .filter(e -> "error_rate".equals(e.data().get("alert_id"))).findFirst().orElseThrow();
    assertEquals(100.0, ((Number) alert.data().get("value")).doubleValue(), 0.0, alert.data().toString());
    assertTrue(alert.data().get("message").toString().contains("1251 of 1251"), alert.data().toString());
  }
}
