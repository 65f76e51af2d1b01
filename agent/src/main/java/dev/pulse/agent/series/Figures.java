package dev.pulse.agent.series;

/** The figures one kind of series keeps per second, their names on the wire and their rounding. */
final class Figures {
  static final Figures POOL = new Figures("pool",
      new String[] {"maximum", "open", "active", "waiting", "qps", "statement_ms", "wait_p99_ms"},
      new int[] {0, 0, 0, 0, 2, 3, 3});
  static final Figures COLLECTION = new Figures("collection",
      new String[] {"searches_per_second", "latency_p50_ms", "latency_p99_ms", "rows", "recall"},
      new int[] {2, 3, 3, 2, 3});

  final String kind;
  final String[] names;
  private final int[] decimals;

  private Figures(String kind, String[] names, int[] decimals) {
    this.kind = kind;
    this.names = names;
    this.decimals = decimals;
  }

  int count() {
    return names.length;
  }

  /** The value as the reply carries it: null for a gap, a whole number or a rounded decimal. */
  Object onWire(int figure, float value) {
    if (Float.isNaN(value)) {
      return null;
    }
    if (decimals[figure] == 0) {
      return Math.round(value);
    }
    double scale = Math.pow(10, decimals[figure]);
    return Math.round(value * scale) / scale;
  }
}
