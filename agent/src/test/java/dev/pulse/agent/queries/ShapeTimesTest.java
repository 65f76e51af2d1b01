package dev.pulse.agent.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.agent.jdbc.LogLinearTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShapeTimesTest {
  @Test
  void eachTimeCountsInItsLogLinearBucketAndInItsExplicitDurationBucket() {
    List<Long> times = new ArrayList<>(List.of(-5L, 0L, 1L, 999L, 1000L, 7_999L, 8_000L,
        Long.MAX_VALUE));
    for (long bound : OperationStats.DURATION_NANOS) {
      for (long near = bound - 1001; near <= bound + 1001; near++) {
        times.add(near); // every nanosecond around each bound, both sides of it
      }
    }
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      times.add((long) Math.exp(random.nextDouble() * Math.log(1e11)));
    }
    for (long nanos : times) {
      ShapeTimes one = new ShapeTimes();
      one.record(nanos);
      long[] durations = new long[OperationStats.DURATION_BOUNDS.length + 1];
      one.addDurations(durations);
      long[] logLinear = new long[LogLinearTimes.BUCKETS];
      one.addLogLinear(logLinear);
      assertEquals(1, durations[OperationStats.durationBucket(nanos)], "explicit bucket of " + nanos);
      assertEquals(1, logLinear[LogLinearTimes.bucket(nanos / 1000)], "log-linear bucket of " + nanos);
      assertEquals(1, one.executions());
    }
  }
}
