package dev.pulse.agent.dashboard;

import java.io.IOException;

/** What {@code /metrics} serves, rendered at each request (a Prometheus scrape). */
public interface MetricsPage {
  String contentType();

  byte[] render() throws IOException;
}
