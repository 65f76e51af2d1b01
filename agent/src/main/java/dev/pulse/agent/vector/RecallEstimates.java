package dev.pulse.agent.vector;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measured recall@k per query shape (collection, distance, k, ef_search, probes, iterative scan):
 * the mean of the per-query recalls of the sampled searches, and how many there were. Written by
 * the recall thread only; read by any thread without a lock (immutable snapshots).
 */
final class RecallEstimates {
  /** One shape's estimate. */
  static final class Estimate {
    final double mean;
    final int samples;

    Estimate(double mean, int samples) {
      this.mean = mean;
      this.samples = samples;
    }
  }

  private final Map<String, Estimate> byShape = new ConcurrentHashMap<>();

  /** The estimate for this shape, or null while no exact search has been sampled for it. */
  Estimate get(String shape) {
    return byShape.get(shape);
  }

  void add(String shape, double recall) {
    Estimate old = byShape.get(shape);
    int samples = old == null ? 1 : old.samples + 1;
    double mean = old == null ? recall : old.mean + (recall - old.mean) / samples;
    byShape.put(shape, new Estimate(mean, samples));
  }

  static String shape(String collection, Distance distance, Integer k, Object efSearch,
      Object probes, String iterativeScan) {
    return collection + '|' + distance.wireName() + '|' + k + '|' + efSearch + '|' + probes + '|'
        + iterativeScan;
  }
}
