package dev.pulse.agent.firewall;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a storm of one failure from becoming a storm of events: the first occurrence of an
 * error_id is reported at once ("observed"); repeats within the window are only counted, and when
 * the window closes they are reported once ("suppressed", with the count). 10,000 identical
 * failures in a second make two events. Recording is lock-free; closing windows is the agent's
 * scheduler's work.
 */
final class StormGuard {
  /** One error_id's current window. */
  static final class Window {
    final Classification first;
    final long openedNanos;
    final AtomicInteger repeats = new AtomicInteger();

    Window(Classification first, long openedNanos) {
      this.first = first;
      this.openedNanos = openedNanos;
    }
  }

  private final long windowNanos;
  private final int maxTracked;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  StormGuard(long windowNanos, int maxTracked) {
    this.windowNanos = windowNanos;
    this.maxTracked = maxTracked;
  }

  /** True when this occurrence opens a window (report it now); false when it is only counted. */
  boolean admit(Classification failure, long nowNanos) {
    Window window = windows.get(failure.errorId);
    if (window != null) {
      window.repeats.incrementAndGet();
      return false;
    }
    if (windows.size() >= maxTracked) {
      return true; // too many distinct failures to track: report, never lose one
    }
    return windows.putIfAbsent(failure.errorId, new Window(failure, nowNanos)) == null;
  }

  boolean holdsAny() {
    return !windows.isEmpty();
  }

  /** Windows that have closed, with repeats to report; they are forgotten. */
  List<Window> close(long nowNanos) {
    List<Window> closed = new ArrayList<>();
    for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
      Window window = it.next();
      if (nowNanos - window.openedNanos >= windowNanos) {
        it.remove();
        if (window.repeats.get() > 0) {
          closed.add(window);
        }
      }
    }
    return closed;
  }
}
