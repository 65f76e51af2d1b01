package dev.pulse.bench;

import dev.pulse.testing.OtlpReceiver;

/**
 * An OTLP endpoint for the export benchmark: the tests' receiver on 127.0.0.1:PORT, printing how
 * many metric exports it decoded when it is stopped.
 */
public final class OtlpSink {
  private OtlpSink() {
  }

  public static void main(String[] args) throws Exception {
    OtlpReceiver receiver = OtlpReceiver.start(Integer.parseInt(args[0]));
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        System.out.println("sink: " + receiver.metrics().size() + " metric exports, "
            + receiver.logRecords().size() + " event records")));
    Thread.currentThread().join();
  }
}
