package dev.pulse.agent.autoscale;

/** A pool size bound: a fixed number of connections, or a multiple of the size the application configured. */
public final class SizeBound {
  private final int connections;
  private final double multiple;

  private SizeBound(int connections, double multiple) {
    this.connections = connections;
    this.multiple = multiple;
  }

  public static SizeBound connections(int count) {
    return new SizeBound(count, 0);
  }

  public static SizeBound multipleOfConfigured(double multiple) {
    return new SizeBound(0, multiple);
  }

  public int resolve(int configuredSize) {
    return multiple > 0 ? Math.max(1, (int) Math.round(configuredSize * multiple)) : connections;
  }
}
