package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recall curve's arithmetic and its recommendation, fed with made-up re-runs. */
class RecallCurveTest {

  private static void add(RecallCurve curve, double at10, double at40, double at80) {
    curve.add(Map.of(10, at10, 40, at40, 80, at80), Map.of(10, 1.0, 40, 2.0, 80, 4.0), 10.0);
  }

  @Test
  void recommendsTheSmallestValueWhoseMeanRecallMeetsTheTarget() {
    RecallCurve curve = new RecallCurve("hnsw.ef_search");
    for (int i = 0; i < 30; i++) {
      add(curve, 0.5, i % 2 == 0 ? 1.0 : 0.92, 1.0); // 40: mean 0.96
    }
    RecallCurve.Recommendation recommendation = curve.recommend(0.95, 30);
    assertTrue(recommendation.met);
    assertEquals(40, recommendation.point.value);
    assertEquals(0.96, recommendation.point.recall(), 1e-9);
    assertEquals(2.0, recommendation.point.latencyMs(), 1e-9);
  }

  @Test
  void nothingBeforeEnoughSamplesAndTheLargestValueWhenNoneMeetsTheTarget() {
    RecallCurve curve = new RecallCurve("hnsw.ef_search");
    for (int i = 0; i < 29; i++) {
      add(curve, 0.5, 0.6, 0.9);
    }
    assertNull(curve.recommend(0.95, 30));
    add(curve, 0.5, 0.6, 0.9);
    RecallCurve.Recommendation recommendation = curve.recommend(0.95, 30);
    assertFalse(recommendation.met);
    assertEquals(80, recommendation.point.value);
  }

  @Test
  void aMeanAtTheTargetDoesNotMoveTheRecommendationUpWithOneSearch() {
    RecallCurve curve = new RecallCurve("ivfflat.probes");
    for (int i = 0; i < 20; i++) {
      add(curve, 0.5, i % 2 == 0 ? 1.0 : 0.9, 1.0); // 40: mean 0.95, at the target
    }
    assertEquals(40, curve.recommend(0.95, 20).point.value);
    add(curve, 0.5, 0.9, 1.0); // 40: mean 0.948, its interval still reaches the target
    RecallCurve.Recommendation kept = curve.recommend(0.95, 20);
    assertTrue(kept.met);
    assertEquals(40, kept.point.value);
    // once 40's interval lies wholly below the target, the next value up
    int searches = 0;
    while (curve.recommend(0.95, 20).point.value == 40) {
      add(curve, 0.5, 0.9, 1.0);
      assertTrue(++searches < 100, "still 40 at " + curve.points().get(1).recall());
    }
    RecallCurve.Point at40 = curve.points().get(1);
    assertTrue(at40.recall() + at40.halfWidth() < 0.95, "moved at " + at40.recall());
    assertEquals(80, curve.recommend(0.95, 20).point.value);
  }

  @Test
  void aSmallerValueTakesOverOnlyWhenItsWholeIntervalMeetsTheTarget() {
    RecallCurve curve = new RecallCurve("ivfflat.probes");
    for (int i = 0; i < 20; i++) {
      add(curve, i % 2 == 0 ? 1.0 : 0.8, 1.0, 1.0); // 10: mean 0.9
    }
    assertEquals(40, curve.recommend(0.95, 20).point.value);
    for (int i = 0; i < 20; i++) {
      add(curve, 1.0, 1.0, 1.0);
    }
    RecallCurve.Point at10 = curve.points().get(0);
    assertEquals(0.95, at10.recall(), 1e-9); // its mean meets the target, its interval does not
    assertEquals(40, curve.recommend(0.95, 20).point.value);
    int searches = 0;
    while (curve.recommend(0.95, 20).point.value == 40) {
      add(curve, 1.0, 1.0, 1.0);
      assertTrue(++searches < 1000, "still 40 at " + at10.recall());
    }
    assertTrue(at10.recall() - at10.halfWidth() >= 0.95, "moved at " + at10.recall());
    assertEquals(10, curve.recommend(0.95, 20).point.value);
  }

  @Test
  void theIntervalComesFromThePerQueryRecallsSpread() {
    RecallCurve curve = new RecallCurve("hnsw.ef_search");
    double[] recalls = {1.0, 0.8, 0.9, 1.0, 0.7, 1.0, 0.9, 0.8};
    double sum = 0;
    for (double recall : recalls) {
      add(curve, recall, recall, recall);
      sum += recall;
    }
    double mean = sum / recalls.length;
    double squares = 0;
    for (double recall : recalls) {
      squares += (recall - mean) * (recall - mean);
    }
    double expected = 1.96 * Math.sqrt(squares / (recalls.length - 1) / recalls.length);
    RecallCurve.Point point = curve.points().get(0);
    assertEquals(mean, point.recall(), 1e-9);
    assertEquals(expected, point.halfWidth(), 1e-9);
    // identical recalls: no spread, no width; one sample: no interval at all
    RecallCurve same = new RecallCurve("hnsw.ef_search");
    add(same, 1.0, 1.0, 1.0);
    assertEquals(1.0, same.points().get(0).halfWidth(), 1e-9);
    add(same, 1.0, 1.0, 1.0);
    assertEquals(0.0, same.points().get(0).halfWidth(), 1e-9);
  }

  @Test
  void theEvidenceCarriesEveryPointAndTheWorstCaseWidth() {
    RecallCurve curve = new RecallCurve("ivfflat.probes");
    for (int i = 0; i < 100; i++) {
      add(curve, 0.5, 0.75, 1.0);
    }
    Map<String, Object> evidence = curve.evidence(0.95);
    assertEquals("ivfflat.probes", evidence.get("parameter"));
    assertEquals(100, evidence.get("samples"));
    assertEquals(0.098, (double) evidence.get("worst_case_half_width"), 1e-9);
    assertEquals(10.0, (double) evidence.get("exact_latency_ms"), 1e-9);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> points = (List<Map<String, Object>>) evidence.get("points");
    assertEquals(List.of(10, 40, 80), points.stream().map(p -> p.get("value")).collect(
        java.util.stream.Collectors.toList()));
    assertEquals(0.75, (double) points.get(1).get("recall"), 1e-9);
    assertEquals(4.0, (double) points.get(2).get("latency_ms"), 1e-9);
  }
}
