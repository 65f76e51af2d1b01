package dev.pulse.agent.autoscale;

/** What the sizer decided for one sample: a new maximum with its reason, or why it holds. */
public final class SizeDecision {
  private final int newSize;
  private final boolean resize;
  private final String reason;

  private SizeDecision(int newSize, boolean resize, String reason) {
    this.newSize = newSize;
    this.resize = resize;
    this.reason = reason;
  }

  static SizeDecision resize(int newSize, String reason) {
    return new SizeDecision(newSize, true, reason);
  }

  static SizeDecision hold(int size, String reason) {
    return new SizeDecision(size, false, reason);
  }

  public boolean isResize() {
    return resize;
  }

  public int newSize() {
    return newSize;
  }

  public String reason() {
    return reason;
  }
}
