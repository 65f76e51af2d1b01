package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.broadcaster.Event;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tuning at hand-out, with a stand-in connection that records what it is sent (no database: what
 * is checked here is when the tuner talks to the application's connection at all).
 */
class EfSearchTunerTest {
  private final DataSourceKey source = new DataSourceKey(new Object());
  private final List<Event> events = new ArrayList<>();
  private final VectorSessions sessions = new VectorSessions();
  private final EfSearchTuner tuner = new EfSearchTuner(sessions, key -> key == source ? "pool-a" : "other",
      new AdviceLedger(events::add), 0.95, 30);
  private final List<String> sent = new ArrayList<>();
  private boolean autoCommit = true;
  private boolean failing;

  private Connection connection() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "unwrap": return proxy;
            case "getAutoCommit": return autoCommit;
            case "commit": sent.add("COMMIT"); return null;
            case "rollback": sent.add("ROLLBACK"); return null;
            case "createStatement": return statement();
            case "hashCode": return System.identityHashCode(proxy);
            case "equals": return proxy == args[0];
            default: throw new UnsupportedOperationException(method.getName());
          }
        });
  }

  /** A borrow of a stand-in, which wraps nothing: it is its own physical connection. */
  private void borrow(DataSourceKey from, Connection connection) {
    tuner.connectionBorrowed(from, connection, connection, System.nanoTime());
  }

  private Statement statement() {
    return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Statement.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "execute":
              if (failing) {
                throw new SQLException("permission denied");
              }
              sent.add((String) args[0]);
              return false;
            case "close": return null;
            default: throw new UnsupportedOperationException(method.getName());
          }
        });
  }

  @Test
  void aSecondChangeSaysTheSessionsHadTheAgentsValue() {
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 80, 2.0, 1.0, 40, "recall 0.97");
    // the sampled search that moves the advice ran before the sessions were tuned
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 160, 4.0, 1.0, 40, "recall 0.96");
    assertEquals(40, ((Map<?, ?>) events.get(0).data().get("evidence")).get("previous"));
    assertEquals(80, ((Map<?, ?>) events.get(1).data().get("evidence")).get("previous"));
  }

  @Test
  void setsTheValueOncePerConnectionAndChangeAndAnnouncesIt() {
    Connection connection = connection();
    borrow(source, connection);
    assertEquals(List.of(), sent, "nothing recommended yet");
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 80, 2.0, 1.0, 40, "recall 0.97");
    assertEquals("applied", events.get(0).data().get("status"));
    assertEquals("tuning", events.get(0).data().get("kind"));
    borrow(source, connection);
    borrow(source, connection);
    borrow(new DataSourceKey(new Object()), connection());
    assertEquals(List.of("SET hnsw.ef_search = 80"), sent);
    assertEquals("80", sessions.effective(connection, "pool-a", "hnsw.ef_search"));
  }

  @Test
  void withAutocommitOffTheSetIsCommittedBeforeTheApplicationBegins() {
    autoCommit = false;
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 80, 2.0, 1.0, 40, "recall 0.97");
    borrow(source, connection());
    assertEquals(List.of("SET hnsw.ef_search = 80", "COMMIT"), sent);
  }

  @Test
  void theApplicationsOwnChangeAfterTheAgentStands() {
    Connection connection = connection();
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 80, 2.0, 1.0, 40, "recall 0.97");
    borrow(source, connection);
    sessions.apply(connection, new SettingChange("hnsw.ef_search", "200", -1, false), null);
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 160, 3.0, 1.0, 40, "recall 0.98");
    borrow(source, connection);
    assertEquals(List.of("SET hnsw.ef_search = 80"), sent);
  }

  @Test
  void aFailedSetTurnsTuningOffForThePool() {
    failing = true;
    autoCommit = false;
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 80, 2.0, 1.0, 40, "recall 0.97");
    borrow(source, connection());
    failing = false;
    borrow(source, connection());
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 160, 3.0, 1.0, 40, "recall 0.98");
    borrow(source, connection());
    assertEquals(List.of("ROLLBACK"), sent);
  }

  @Test
  void backsOffWhenSearchesSlowDownBeyondThePrediction() {
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 80, 2.0, 1.0, 40, "recall 0.97");
    Connection tuned = connection();
    borrow(source, tuned);
    for (int i = 0; i < EfSearchTuner.MIN_OBSERVED; i++) {
      tuner.observed("pool-a", "items", "hnsw.ef_search", 40, 1_000_000, null);
      tuner.observed("pool-a", "items", "hnsw.ef_search", 80, 3_000_000, null); // 3x, predicted 2x
    }
    tuner.review();
    assertEquals(1, events.size(), "within twice the prediction: stays");
    for (int i = 0; i < 3 * EfSearchTuner.MIN_OBSERVED; i++) {
      tuner.observed("pool-a", "items", "hnsw.ef_search", 80, 10_000_000, null);
    }
    tuner.review();
    assertEquals(2, events.size());
    Event backedOff = events.get(1);
    assertEquals("backed_off", backedOff.data().get("status"));
    assertTrue(((String) backedOff.data().get("message")).contains("back to hnsw.ef_search = 40"),
        backedOff.data().toString());
    borrow(source, tuned);
    borrow(source, connection()); // never tuned: has 40 already
    assertEquals(List.of("SET hnsw.ef_search = 80", "SET hnsw.ef_search = 40"), sent,
        "the tuned connection gets its value back");
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 80, 2.0, 1.0, 40, "same advice again");
    assertEquals(2, events.size(), "the value backed off from is not tried again");
  }

  @Test
  void aSecondRecommendationIsMeasuredAgainstTheApplicationsOwnValue() {
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 80, 2.0, 1.0, 40, "recall 0.97");
    // sampled at the agent's 80: 160 costs 1.5 times 80's time, so 3 times the application's 40
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 160, 3.0, 2.0, 80, "recall 0.99");
    for (int i = 0; i < EfSearchTuner.MIN_OBSERVED; i++) {
      tuner.observed("pool-a", "items", "hnsw.ef_search", 40, 1_000_000, null);
      tuner.observed("pool-a", "items", "hnsw.ef_search", 80, 10_000_000, null);
      tuner.observed("pool-a", "items", "hnsw.ef_search", 160, 5_000_000, null); // 5x, predicted 3x
    }
    tuner.review();
    assertEquals(2, events.size(), "faster than at 80, within twice the prediction against 40");
    for (int i = 0; i < 3 * EfSearchTuner.MIN_OBSERVED; i++) {
      tuner.observed("pool-a", "items", "hnsw.ef_search", 160, 10_000_000, null);
    }
    tuner.review();
    Event backedOff = events.get(2);
    assertEquals("backed_off", backedOff.data().get("status"));
    assertTrue(((String) backedOff.data().get("message")).startsWith("back to hnsw.ef_search = 40:"),
        backedOff.data().toString());
    assertEquals(160, ((Map<?, ?>) backedOff.data().get("evidence")).get("previous"));
  }

  @Test
  void onlyTheSearchesOfTheAdvisedCollectionJudgeTheValue() {
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 80, 2.0, 1.0, 40, "recall 0.97");
    for (int i = 0; i < 3 * EfSearchTuner.MIN_OBSERVED; i++) {
      tuner.observed("pool-a", "items", "hnsw.ef_search", 40, 1_000_000, null);
      tuner.observed("pool-a", "items", "hnsw.ef_search", 80, 2_000_000, null);
      // another collection of the pool, slow whatever the value (a heavier search)
      tuner.observed("pool-a", "docs", "hnsw.ef_search", 80, 50_000_000, null);
    }
    tuner.review();
    assertEquals(1, events.size(), "items' searches took what the curve predicted");
  }

  @Test
  void backsOffWhenTheApplicationsRecallMissesTheTarget() {
    tuner.recommend("pool-a", "items", "hnsw.ef_search", 80, 2.0, 1.0, 40, "recall 0.97");
    tuner.observed("pool-a", "items", "hnsw.ef_search", 80, 1_000_000, new RecallEstimates.Estimate(0.90, 100));
    tuner.review();
    assertEquals(1, events.size(), "0.90 over 100 is within 0.98/10 of 0.95");
    tuner.observed("pool-a", "items", "hnsw.ef_search", 80, 1_000_000, new RecallEstimates.Estimate(0.80, 100));
    tuner.review();
    assertEquals("backed_off", events.get(1).data().get("status"));
  }
}
