package dev.pulse.agent.firewall;

/** A failure, classified: what it is, what to do, how sure, and its stable fingerprint. */
public final class Classification {
  final String errorId;
  final String scene;
  final String errorType;
  final String sqlState;
  final String message;
  final String solution;
  final double confidence;

  Classification(String errorId, String scene, String errorType, String sqlState, String message,
      String solution, double confidence) {
    this.errorId = errorId;
    this.scene = scene;
    this.errorType = errorType;
    this.sqlState = sqlState;
    this.message = message;
    this.solution = solution;
    this.confidence = confidence;
  }

  public String errorId() {
    return errorId;
  }

  public String errorType() {
    return errorType;
  }
}
