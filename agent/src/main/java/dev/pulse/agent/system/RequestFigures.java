package dev.pulse.agent.system;

import java.util.Collections;
import java.util.List;

/**
 * The JDBC layer's running totals as system_stats reports them. Until statement instrumentation
 * is installed (or when it is off), {@link #NONE} reports that nothing has run.
 */
public interface RequestFigures {
  long totalRequests();

  long failedRequests();

  /** Mean statement time since start, ms; 0 before the first statement. */
  double averageResponseMillis();

  /** Connections in use over all pools now. */
  int activeConnections();

  /** Each open pool's load now. */
  List<PoolReading> pools();

  RequestFigures NONE = new RequestFigures() {
    @Override
    public long totalRequests() {
      return 0;
    }

    @Override
    public long failedRequests() {
      return 0;
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
      return Collections.emptyList();
    }
  };
}
