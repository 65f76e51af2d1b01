package dev.pulse.broadcaster.bench;

import dev.pulse.broadcaster.Broadcaster;
import dev.pulse.broadcaster.BroadcasterConfig;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import dev.pulse.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@code publish} costs the calling (application) thread: building an event the way the
 * agent's publishers do, with and without handing it to a running broadcaster that has 0 or 10
 * reading clients. The difference between a {@code ...BuildOnly} and its {@code ...BuildAndPublish}
 * is the cost of publishing itself; the spaced pair leaves the dispatcher time to drain, as in use.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PublishBenchmark {
  @Param({"0", "10"})
  public int clients;

  private Broadcaster broadcaster;
  private final List<WsTestClient> readers = new ArrayList<>();
  private static final long SPACING_TOKENS = 500;
  private long counter;

  @Setup(Level.Trial)
  public void start() throws InterruptedException {
    // A large queue: the producer here outruns any real publisher; drops are reported below.
    broadcaster = Broadcaster.start(new BroadcasterConfig().port(0).queueCapacity(1 << 20)
        .maxPendingBytesPerClient(512L * 1024 * 1024));
    for (int i = 0; i < clients; i++) {
      readers.add(WsTestClient.connect(broadcaster.url(), Duration.ofSeconds(10)));
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    System.out.println("\npublished " + broadcaster.publishedEvents() + ", dropped "
        + broadcaster.droppedEvents() + " (queue full: the dispatcher could not keep up)");
    readers.forEach(WsTestClient::close);
    broadcaster.close();
  }

  private Event event() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("pool_name", "main");
    data.put("active_connections", 7);
    data.put("qps", 123.4);
    data.put("total_queries", ++counter);
    return Event.now(Channel.DB_POOL_STATS, "pool_stats", data);
  }

  @Benchmark
  public Event buildOnly() {
    return event();
  }

  /** Back to back: the producer saturates the queue and contends with the dispatcher thread. */
  @Benchmark
  public void buildAndPublish() {
    broadcaster.publish(event());
  }

  /** With about a microsecond of other work between events, closer to how the agent publishes. */
  @Benchmark
  public Event spacedBuildOnly() {
    Blackhole.consumeCPU(SPACING_TOKENS);
    return event();
  }

  @Benchmark
  public void spacedBuildAndPublish() {
    Blackhole.consumeCPU(SPACING_TOKENS);
    broadcaster.publish(event());
  }
}
