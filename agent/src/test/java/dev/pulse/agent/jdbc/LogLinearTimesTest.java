package dev.pulse.agent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogLinearTimesTest {

  @Test
  void everyBucketsMiddleIsInsideIt() {
    for (long micros = 0; micros < 5_000_000; micros = micros < 100 ? micros + 1 : micros * 11 / 10) {
      double middle = LogLinearTimes.middleMillis(LogLinearTimes.bucket(micros)) * 1000;
      assertTrue(Math.abs(middle - micros) <= Math.max(0.5, micros * 0.0625 + 0.5),
          micros + " µs is reported as " + middle);
    }
    assertEquals(LogLinearTimes.BUCKETS - 1, LogLinearTimes.bucket(Long.MAX_VALUE / 1000));
  }

  @Test
  void aQuantileOfAnIntervalIsWithinABucketOfTheTruth() {
    LogLinearTimes times = new LogLinearTimes();
    long[] before = times.snapshot();
    for (int i = 1; i <= 1000; i++) {
      times.record(i * 1_000_000L); // 1 ms .. 1 s
    }
    assertEquals(990.0, LogLinearTimes.quantileMillis(before, times.snapshot(), 0.99), 990 * 0.0625);
    assertEquals(null, LogLinearTimes.quantileMillis(before, before, 0.99), "empty interval");
  }
}
