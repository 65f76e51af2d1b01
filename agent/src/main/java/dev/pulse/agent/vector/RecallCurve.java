package dev.pulse.agent.vector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recall and latency of one query shape at several values of its index's search setting
 * (hnsw.ef_search or ivfflat.probes), from sampled searches re-run at each value and exactly. The
 * query, not the hit, is the sample: each re-run adds one per-query recall to each value's mean,
 * so that misses clustered in hard queries widen the interval as they should. Running sums only:
 * memory does not grow with the samples. Used by the advisor's thread only.
 */
final class RecallCurve {
  /** 95% two-sided normal quantile. */
  private static final double Z = 1.96;

  /** One value's measurements. */
  static final class Point {
    final int value;
    private int samples;
    private double recallSum;
    private double recallSquares;
    private double latencySum;

    Point(int value) {
      this.value = value;
    }

    int samples() {
      return samples;
    }

    double recall() {
      return samples == 0 ? 0 : recallSum / samples;
    }

    /** Half-width of the 95% interval of the mean recall, from the recalls' own spread. */
    double halfWidth() {
      if (samples < 2) {
        return 1;
      }
      double mean = recall();
      double variance = Math.max(0, (recallSquares - samples * mean * mean) / (samples - 1));
      return Z * Math.sqrt(variance / samples);
    }

    double latencyMs() {
      return samples == 0 ? 0 : latencySum / samples;
    }
  }

  /** The smallest value whose mean recall meets the target, or the largest tried when none does. */
  static final class Recommendation {
    final Point point;
    final boolean met;

    Recommendation(Point point, boolean met) {
      this.point = point;
      this.met = met;
    }
  }

  private final String parameter;
  private final TreeMap<Integer, Point> points = new TreeMap<>();
  private int samples;
  private double exactLatencySum;
  /** The value last recommended as meeting the target, or null. */
  private Integer held;

  /** @param parameter hnsw.ef_search or ivfflat.probes */
  RecallCurve(String parameter) {
    this.parameter = parameter;
  }

  String parameter() {
    return parameter;
  }

  /** Searches re-run so far. */
  int samples() {
    return samples;
  }

  /** One sampled search: its recall and time at each value tried, and the exact search's time. */
  void add(Map<Integer, Double> recallByValue, Map<Integer, Double> latencyMsByValue,
      double exactMs) {
    samples++;
    exactLatencySum += exactMs;
    recallByValue.forEach((value, recall) -> {
      Point point = points.computeIfAbsent(value, Point::new);
      point.samples++;
      point.recallSum += recall;
      point.recallSquares += recall * recall;
      point.latencySum += latencyMsByValue.getOrDefault(value, 0.0);
    });
  }

  List<Point> points() {
    return new ArrayList<>(points.values());
  }

  /**
   * The smallest value whose mean recall, over at least {@code minSamples} searches, meets the
   * target; when none does, the largest value tried (not met). Null while too few searches. A value
   * recommended as met then stands while its interval still reaches the target and no smaller
   * value's interval lies wholly at or above it: a mean at the target crosses it back and forth
   * with single searches, and each crossing would move the advice and the tuning that follows it.
   */
  Recommendation recommend(double target, int minSamples) {
    Point kept = held == null ? null : points.get(held);
    if (kept != null && kept.recall() + kept.halfWidth() >= target
        && !clearlyMetBelow(kept.value, target, minSamples)) {
      return new Recommendation(kept, true);
    }
    Point largest = null;
    for (Point point : points.values()) {
      if (point.samples < minSamples) {
        continue;
      }
      if (point.recall() >= target) {
        held = point.value;
        return new Recommendation(point, true);
      }
      largest = point;
    }
    held = null;
    return largest == null ? null : new Recommendation(largest, false);
  }

  private boolean clearlyMetBelow(int value, double target, int minSamples) {
    for (Point point : points.headMap(value).values()) {
      if (point.samples >= minSamples && point.recall() - point.halfWidth() >= target) {
        return true;
      }
    }
    return false;
  }

  /** The curve as the advice's evidence: samples, target, and per value recall, interval, time. */
  Map<String, Object> evidence(double target) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("parameter", parameter);
    evidence.put("samples", samples);
    evidence.put("target", target);
    // The interval when every query's recall could be anywhere in [0, 1]; the points carry the
    // interval measured from the recalls' own spread.
    evidence.put("worst_case_half_width", samples == 0 ? 1.0 : round(0.98 / Math.sqrt(samples)));
    evidence.put("exact_latency_ms", samples == 0 ? 0.0 : round(exactLatencySum / samples));
    List<Map<String, Object>> curve = new ArrayList<>();
    for (Point point : points.values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("value", point.value);
      entry.put("recall", round(point.recall()));
      entry.put("half_width", round(point.halfWidth()));
      entry.put("recall_low", round(Math.max(0, point.recall() - point.halfWidth())));
      entry.put("recall_high", round(Math.min(1, point.recall() + point.halfWidth())));
      entry.put("latency_ms", round(point.latencyMs()));
      entry.put("samples", point.samples);
      curve.add(entry);
    }
    evidence.put("points", curve);
    return evidence;
  }

  static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
