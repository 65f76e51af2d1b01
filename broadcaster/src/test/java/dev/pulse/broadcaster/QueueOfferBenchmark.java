package dev.pulse.broadcaster;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The part of publish() an application thread really pays, without a dispatcher competing for the
 * same two cores: the enqueue into the bounded drop-oldest queue, kept full so that every offer
 * also drops the oldest (its most expensive path), from one and from two threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class QueueOfferBenchmark {
  private DropOldestQueue<Object> queue;
  private final Object event = new Object();

  @Setup(Level.Trial)
  public void fill() {
    queue = new DropOldestQueue<>(1024);
    for (int i = 0; i < 1024; i++) {
      queue.offer(event);
    }
  }

  @Benchmark
  @Threads(1)
  public void offerWhenFull() {
    queue.offer(event);
  }

  @Benchmark
  @Threads(2)
  public void offerWhenFullTwoThreads() {
    queue.offer(event);
  }
}
