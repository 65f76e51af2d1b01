package dev.pulse.agent.vector;

/** What the vector-search advisor is allowed to spend and the levels at which it advises. */
public final class AdvisorLimits {
  final double rate;
  final int budgetPerSecond;
  final long rowsThreshold;
  final double shortShare;
  final int minSamples;
  final double recallTarget;
  final long planIntervalNanos;

  /**
   * @param rate share of searches sampled
   * @param budgetPerSecond most sampled searches per second (each is one EXPLAIN at most, one
   *     exact search and one search per curve value)
   * @param rowsThreshold tables with more rows need a vector index
   * @param shortShare share of searches with fewer rows than k that calls for iterative scans
   * @param minSamples searches re-run before a curve recommends a value
   * @param recallTarget the recall a recommended value must reach
   * @param planIntervalMillis least time between two plan checks of a collection
   */
  public AdvisorLimits(double rate, int budgetPerSecond, long rowsThreshold, double shortShare,
      int minSamples, double recallTarget, long planIntervalMillis) {
    this.rate = rate;
    this.budgetPerSecond = budgetPerSecond;
    this.rowsThreshold = rowsThreshold;
    this.shortShare = shortShare;
    this.minSamples = minSamples;
    this.recallTarget = recallTarget;
    this.planIntervalNanos = planIntervalMillis * 1_000_000L;
  }
}
