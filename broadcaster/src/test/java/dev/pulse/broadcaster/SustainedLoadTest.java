package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.broadcaster.bench.SustainedLoad;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A thousand clients and a publisher at full speed for a minute (profile long; about 75 s): no
 * client misses a message it was sent, every client is either still connected or was cut as a slow
 * consumer, and the threads and heap come back to where they were.
 */
@Tag("long")
class SustainedLoadTest {

  @Test
  void aThousandClientsAtFullSpeedForAMinute() throws Exception {
    SustainedLoad.Result result = SustainedLoad.run(Integer.getInteger("pulse.load.clients", 1000),
        Long.getLong("pulse.load.seconds", 60));
    System.out.println(result);
    assertTrue(result.published > 0 && result.delivered > 0, result.toString());
    assertEquals(0, result.gaps, "messages lost on their way to a client");
    assertEquals(result.clients, result.openAtEnd + result.slowClosed, result.toString());
    assertTrue(result.threadsAfter <= result.threadsBefore + 5, result.toString());
    assertTrue(result.heapAfterKb - result.heapBeforeKb < 64 * 1024, result.toString());
  }
}
