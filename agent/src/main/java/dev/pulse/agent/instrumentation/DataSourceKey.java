package dev.pulse.agent.instrumentation;

import java.lang.ref.WeakReference;

/**
 * Stands for one DataSource (or HikariCP pool config) in the agent's state: features key their
 * per-pool figures by it, and connections and statements point to it, without keeping the
 * application's DataSource reachable. Equal only to itself.
 */
public final class DataSourceKey extends WeakReference<Object> {
  public DataSourceKey(Object dataSource) {
    super(dataSource);
  }
}
