package dev.pulse.agent.system;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Publishes {@code system_stats} on {@code system_alerts}; run on the agent's scheduler thread. */
public final class SystemMonitor implements Runnable {
  static final String STATE_KEY = "jvm";
  private static final double BYTES_PER_MB = 1024.0 * 1024.0;

  private final Consumer<Event> publisher;
  private final RequestFigures requests;
  private final ProcessCpu cpu = new ProcessCpu();

  public SystemMonitor(Consumer<Event> publisher, RequestFigures requests) {
    this.publisher = publisher;
    this.requests = requests;
  }

  @Override
  public void run() {
    publisher.accept(Event.stateNow(Channel.SYSTEM_ALERTS, "system_stats", STATE_KEY, sample()));
  }

  Map<String, Object> sample() {
    RequestTotals totals = RequestTotals.read(requests); // successful_requests never below 0
    // the platform's beans are looked up at the first sample, not when the agent starts: their
    // first lookup sets up the JDK's management (and searches the class path for providers),
    // which an agent nobody watches never needs
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("total_requests", totals.statements);
    data.put("successful_requests", totals.statements - totals.failures);
    data.put("failed_requests", totals.failures);
    data.put("avg_response_time", round(requests.averageResponseMillis(), 3));
    data.put("active_connections", requests.activeConnections());
    data.put("memory_usage", round(heap.getUsed() / BYTES_PER_MB, 1));
    Double cpuPercent = cpu.sinceLastCall();
    data.put("cpu_usage", cpuPercent == null ? null : round(cpuPercent, 1));
    data.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    data.put("memory_max", heap.getMax() < 0 ? null : round(heap.getMax() / BYTES_PER_MB, 1));
    data.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
    return data;
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
