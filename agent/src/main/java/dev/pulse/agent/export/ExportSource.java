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

  /** Upper bounds, in seconds, of every wait bucket but the last (which is unbounded). */
  double[] waitBucketBounds();
}
