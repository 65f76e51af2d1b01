package dev.pulse.broadcaster;

import java.util.List;
import java.util.Map;

/**
 * What a client gets for {@code {"action":"series"}}: the kept per-second series, one map each,
 * each sent as one {@code series} control message. The broadcaster knows nothing of what they
 * measure.
 */
@FunctionalInterface
public interface SeriesSource {
  SeriesSource NONE = minutes -> List.of();

  /**
   * Called on the broadcaster's series thread (never its dispatcher's): copies what is held over
   * the last {@code minutes} (1 to 15).
   */
  List<Map<String, ?>> series(int minutes);
}
