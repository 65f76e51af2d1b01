package dev.pulse.agent.config;

/** A part of the agent that a bad setting switches off on its own, leaving the rest running. */
public enum Part {
  AGENT("the whole agent"),
  LOGGING("logging"),
  STREAM("the WebSocket stream"),
  SYSTEM("the system monitor"),
  ALERTS("threshold alerts"),
  DASHBOARD("the dashboard page"),
  JDBC("JDBC and pool instrumentation"),
  POOLS("pool statistics"),
  AUTOSCALE("the adaptive pool sizer"),
  VECTOR("vector search tracking"),
  FIREWALL("the error firewall"),
  EXPORT("fleet export (OTLP and /metrics)"),
  QUERIES("query statistics and slow statements"),
  LEAKS("connection leak detection");

  private final String description;

  Part(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
