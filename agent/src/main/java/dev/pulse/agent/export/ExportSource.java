package dev.pulse.agent.export;

import java.util.List;

/**
 * What the export reads from the rest of the agent, on the export's own threads, when the SDK
 * collects: nothing is recorded for it on the application's threads.
 */
public interface ExportSource {
  ExportSource NONE = new ExportSource() {
    @Override
    public List<ExportedPool> pools() {
      return List.of();
    }

    @Override
    public double[] waitBucketBounds() {
      return new double[0];
    }
  };

  /** The open pools, read now. */
  List<ExportedPool> pools();

  /** Upper bounds, in seconds, of every wait (and use) bucket but the last (which is unbounded). */
  double[] waitBucketBounds();

  /**
   * The statements by operation, collection and error type, read now; null when the agent does
   * not group them (the query table is off): then only the pools' totals are known.
   */
  default List<OperationSnapshot> operations() {
    return null;
  }

  /** Upper bounds, in seconds, of every operation duration bucket but the last. */
  default double[] durationBounds() {
    return new double[0];
  }

  /** Upper bounds of every returned rows bucket but the last. */
  default double[] rowBounds() {
    return new double[0];
  }
}
