package dev.pulse.agent.series;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One pool's or one collection's ring of per-second figures, with its name. Owner locks. */
final class Series {
  private final Figures figures;
  private final String name;
  private final SecondRing ring;

  Series(Figures figures, String name) {
    this.figures = figures;
    this.name = name;
    this.ring = new SecondRing(figures.count());
  }

  void put(long firstSecond, long lastSecond, float[] values) {
    ring.put(firstSecond, lastSecond, values);
  }

  /** The newest second written, {@code Long.MIN_VALUE} before the first. */
  long newest() {
    return ring.newest();
  }

  long arrayBytes() {
    return ring.arrayBytes();
  }

  /**
   * The seconds from {@code first} to {@code last} as the {@code series} message's data, starting
   * at the first second that holds a value; null when none does.
   */
  Map<String, Object> describe(long first, long last) {
    long start = first;
    while (start <= last && !holdsAny(start)) {
      start++;
    }
    if (start > last) {
      return null;
    }
    int points = (int) (last - start + 1);
    Map<String, Object> values = new LinkedHashMap<>();
    for (int f = 0; f < figures.count(); f++) {
      List<Object> column = new ArrayList<>(points);
      for (long second = start; second <= last; second++) {
        column.add(figures.onWire(f, ring.get(f, second)));
      }
      values.put(figures.names[f], column);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("kind", figures.kind);
    data.put("name", name);
    data.put("start_ms", start * 1000);
    data.put("step_ms", 1000);
    data.put("points", points);
    data.put("values", values);
    return data;
  }

  private boolean holdsAny(long second) {
    for (int f = 0; f < figures.count(); f++) {
      if (!Float.isNaN(ring.get(f, second))) {
        return true;
      }
    }
    return false;
  }
}
