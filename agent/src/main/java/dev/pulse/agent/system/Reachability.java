package dev.pulse.agent.system;

/**
 * Whether one pool's database is reachable, judged from what the application's borrows showed
 * since the previous check: a connection failure (or no connection open while threads wait) says
 * no, a successful borrow says yes, and with neither the last verdict stands.
 */
final class Reachability {
  private long borrowedSeen = -1;
  private long failureSeenNanos;
  private boolean unreachable;
  private String cause = "";

  /** 1 while the latest evidence says the database is unreachable, else 0. */
  double update(PoolReading reading) {
    boolean failed = reading.connectionFailureNanos() != 0
        && reading.connectionFailureNanos() != failureSeenNanos;
    boolean borrowed = borrowedSeen >= 0 && reading.borrowed() > borrowedSeen;
    failureSeenNanos = reading.connectionFailureNanos();
    borrowedSeen = reading.borrowed();
    if (failed || reading.starved()) {
      unreachable = true;
      cause = failed ? reading.connectionFailure()
          : "no connection open while " + reading.waiting() + " threads wait";
    } else if (borrowed) {
      unreachable = false;
    }
    return unreachable ? 1 : 0;
  }

  String cause() {
    return cause;
  }
}
