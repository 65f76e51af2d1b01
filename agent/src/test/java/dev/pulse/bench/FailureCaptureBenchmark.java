package dev.pulse.bench;

import dev.pulse.agent.firewall.Classification;
import dev.pulse.agent.firewall.ErrorClassifier;
import dev.pulse.agent.firewall.ErrorFirewall;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the failing thread pays in the firewall, side by side in one run: the capture it pays now,
 * and the full classification (rules, redaction, SHA-256 fingerprint) it used to pay before storm
 * suppression looked at the failure. Each failure's message differs, as a unique violation's does,
 * so the firewall's thread is always behind here: most captures find the queue full and are
 * counted drops. The capture of a failure the queue takes is in FailingStatementCpu's figures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FailureCaptureBenchmark {
  private final ErrorFirewall firewall = new ErrorFirewall(new ErrorClassifier(List.of(), true),
      1000, event -> { }, sql -> false, false, 1000);
  private final ErrorClassifier classifier = new ErrorClassifier(List.of(), true);
  private final SQLException[] failures = new SQLException[1024];
  private int next;

  public FailureCaptureBenchmark() {
    for (int i = 0; i < failures.length; i++) {
      failures[i] = new SQLException("duplicate key value violates unique constraint \"users_pkey\""
          + " Detail: Key (id)=(" + (1000 + i) + ") already exists.", "23505");
    }
  }

  @Benchmark
  public void captureOnTheFailingThread() {
    firewall.statementFailed(failures[next++ & 1023], "insert into users values (?)", 0);
  }

  @Benchmark
  public Classification classifyOnTheFailingThreadAsBefore() {
    return classifier.classify(failures[next++ & 1023], ErrorFirewall.SCENE_QUERY);
  }
}
