package dev.pulse.broadcaster;

import dev.pulse.log.PrintableText;
import dev.pulse.log.PulseLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refused connections, counted and logged at most once per interval for each reason: a flood of
 * refusals must not flood the host's stderr. The first refusal of an interval is logged with its
 * detail (a client's own words, such as an Origin header: cut and with control characters
 * escaped) and how many of the same reason went unlogged since the last line. Nothing runs
 * between refusals: the count of the last quiet interval is told with the next refusal.
 */
final class RefusalLog {
  static final int SHOWN_LENGTH = 100;

  private final PulseLog log;
  private final long intervalNanos;
  private final Map<String, Reason> reasons = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();

  RefusalLog(PulseLog log, long intervalMillis) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  /** Refusals since start, whatever the reason. */
  long total() {
    return total.get();
  }

  /** {@code reason} is one of a few fixed words; {@code detail} may be anything a client sent. */
  void refused(String reason, String detail) {
    total.incrementAndGet();
    Reason counter = reasons.computeIfAbsent(reason, key -> new Reason());
    long unlogged;
    synchronized (counter) {
      long now = System.nanoTime();
      if (counter.loggedAt != 0 && now - counter.loggedAt < intervalNanos) {
        counter.unlogged++;
        return;
      }
      counter.loggedAt = now == 0 ? 1 : now;
      unlogged = counter.unlogged;
      counter.unlogged = 0;
    }
    log.warn("refused a connection (" + reason + "): " + PrintableText.cut(detail, SHOWN_LENGTH)
        + (unlogged > 0 ? "; " + unlogged + " more refused for this reason since the last such"
            + " line" : "")
        + "; such refusals are logged at most once per " + intervalNanos / 1_000_000_000L + " s");
  }

  private static final class Reason {
    long loggedAt;
    long unlogged;
  }
}
