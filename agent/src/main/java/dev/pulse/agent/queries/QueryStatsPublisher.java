package dev.pulse.agent.queries;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every {@code queries.interval}: one {@code query_stats} per pool with statements, carrying its
 * {@link #TOP} shapes by total time since start (as pg_stat_statements counts), kept as the pool's
 * latest state so a client that connects gets the table at once.
 */
public final class QueryStatsPublisher implements Runnable {
  static final int TOP = 50;

  private final QueryStats stats;
  private final Consumer<Event> publisher;

  public QueryStatsPublisher(QueryStats stats, Consumer<Event> publisher) {
    this.stats = stats;
    this.publisher = publisher;
  }

  @Override
  public void run() {
    stats.forgetCollected();
    for (QueryTable table : stats.allTables()) {
      if (table.size() == 0) {
        continue;
      }
      List<ShapeStats> shapes = new ArrayList<>(table.shapes());
      shapes.sort(Comparator.comparingLong(ShapeStats::totalNanos).reversed());
      List<Map<String, Object>> top = new ArrayList<>();
      for (ShapeStats shape : shapes.subList(0, Math.min(TOP, shapes.size()))) {
        top.add(shape.figures());
      }
      String pool = stats.poolName(table);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("pool_name", pool);
      data.put("shapes", shapes.size());
      data.put("evicted_shapes", table.evicted.sum());
      data.put("dropped_statements", stats.dropped());
      data.put("queries", top);
      publisher.accept(Event.stateNow(Channel.DB_POOL_STATS, "query_stats", "query_stats:" + pool,
          data));
    }
  }
}
