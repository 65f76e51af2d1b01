package dev.pulse.agent.instrumentation;

/** Decides, before getConnection runs, that it fails at once (the firewall's fail-fast). */
public interface AcquireGate {
  /** The exception getConnection throws instead of running, or null to let it run. */
  Throwable blocked(DataSourceKey source);
}
