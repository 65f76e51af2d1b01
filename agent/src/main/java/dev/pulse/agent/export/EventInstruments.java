package dev.pulse.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongGauge;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Map;

/**
 * Metrics that follow the agent's events: vector searches per collection, resizes, classified
 * failures, alerts. Recorded on the export's own thread as it takes each event, never on the
 * thread that published it.
 */
final class EventInstruments {
  static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");
  static final AttributeKey<String> DISTANCE = AttributeKey.stringKey("pulse.vector.distance");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> ERROR_SCENE = AttributeKey.stringKey("pulse.error.scene");
  static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("pulse.pool.resize.direction");
  static final AttributeKey<String> ALERT_ID = AttributeKey.stringKey("pulse.alert.id");
  static final AttributeKey<String> ALERT_METRIC = AttributeKey.stringKey("pulse.alert.metric");

  private final DoubleHistogram searchDuration;
  private final DoubleHistogram searchRows;
  private final DoubleGauge recall;
  private final LongGauge efSearch;
  private final LongGauge probes;
  private final LongCounter resizes;
  private final LongCounter errors;
  private final LongGauge alerts;

  EventInstruments(Meter meter) {
    searchDuration = meter.histogramBuilder(MetricNames.VECTOR_DURATION).setUnit("s")
        .setDescription("Time of pgvector similarity searches, per collection.")
        .setExplicitBucketBoundariesAdvice(List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
        .build();
    searchRows = meter.histogramBuilder(MetricNames.VECTOR_ROWS).setUnit("{row}")
        .setDescription("Rows the database returned for pgvector similarity searches, per collection.")
        .setExplicitBucketBoundariesAdvice(List.of(0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0,
            200.0, 500.0, 1000.0))
        .build();
    recall = meter.gaugeBuilder(MetricNames.VECTOR_RECALL).setUnit("1")
        .setDescription("Recall@k of the collection's searches, measured from sampled exact re-runs.")
        .build();
    efSearch = meter.gaugeBuilder(MetricNames.VECTOR_EF_SEARCH).ofLongs().setUnit("{candidate}")
        .setDescription("hnsw.ef_search in effect for the collection's latest search.").build();
    probes = meter.gaugeBuilder(MetricNames.VECTOR_PROBES).ofLongs().setUnit("{list}")
        .setDescription("ivfflat.probes in effect for the collection's latest search.").build();
    resizes = meter.counterBuilder(MetricNames.POOL_RESIZES).setUnit("{resize}")
        .setDescription("Changes of a pool's maximum size, whoever made them.").build();
    errors = meter.counterBuilder(MetricNames.FIREWALL_ERRORS).setUnit("{error}")
        .setDescription("Data-layer failures classified by the error firewall, by type.").build();
    alerts = meter.gaugeBuilder(MetricNames.ALERTS_FIRING).ofLongs().setUnit("{alert}")
        .setDescription("1 while the alert is firing, 0 once it resolved.").build();
  }

  void record(String type, Map<String, ?> data) {
    switch (type) {
      case "search_completed":
        search(data);
        break;
      case "pool_resized":
        int oldSize = number(data, "old_size").intValue();
        int newSize = number(data, "new_size").intValue();
        resizes.add(1, Attributes.of(PoolInstruments.POOL_NAME, text(data, "pool_name"),
            DIRECTION, newSize > oldSize ? "grow" : "shrink"));
        break;
      case "error_intercepted":
        errors.add(number(data, "count").longValue(), Attributes.of(
            ERROR_TYPE, text(data, "error_type"), ERROR_SCENE, text(data, "error_scene")));
        break;
      case "alert":
        AttributesBuilder attributes = Attributes.builder()
            .put(ALERT_ID, text(data, "alert_id")).put(ALERT_METRIC, text(data, "metric"));
        if (data.get("pool_name") != null) {
          attributes.put(PoolInstruments.POOL_NAME, text(data, "pool_name"));
        }
        alerts.set("firing".equals(data.get("state")) ? 1 : 0, attributes.build());
        break;
      default:
        break;
    }
  }

  private void search(Map<String, ?> data) {
    AttributesBuilder builder = Attributes.builder().put(COLLECTION, text(data, "collection"));
    if (data.get("pool_name") != null) {
      builder.put(PoolInstruments.POOL_NAME, text(data, "pool_name"));
    }
    Attributes collection = builder.build();
    Attributes withDistance = collection.toBuilder().put(DISTANCE, text(data, "distance")).build();
    double seconds = number(data, "search_time_ms").doubleValue() / 1000;
    Number rows = data.get("results_count") == null ? null : number(data, "results_count");
    // A sampled event stands for sample_weight searches: recorded that many times, the histograms
    // count every search exactly (their distribution is the sample's).
    long weight = Math.max(1, number(data, "sample_weight").longValue());
    for (long i = 0; i < weight; i++) {
      searchDuration.record(seconds, withDistance);
      if (rows != null) {
        searchRows.record(rows.doubleValue(), collection);
      }
    }
    if (data.get("recall_estimated") != null) {
      recall.set(number(data, "recall_estimated").doubleValue(), collection);
    }
    if (data.get("ef_search") != null) {
      efSearch.set(number(data, "ef_search").longValue(), collection);
    }
    if (data.get("probes") != null) {
      probes.set(number(data, "probes").longValue(), collection);
    }
  }

  private static Number number(Map<String, ?> data, String key) {
    Object value = data.get(key);
    return value instanceof Number ? (Number) value : 0;
  }

  private static String text(Map<String, ?> data, String key) {
    Object value = data.get(key);
    return value == null ? "" : value.toString();
  }
}
