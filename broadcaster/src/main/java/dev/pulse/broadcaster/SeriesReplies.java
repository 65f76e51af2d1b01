package dev.pulse.broadcaster;

import dev.pulse.log.PulseLog;
import dev.pulse.threads.HandOff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code {"action":"series"}} replies on a thread of their own ("pulse-series", started by
 * the first request): reading 15 minutes of every series and writing it as JSON takes tens of
 * milliseconds, which on the dispatcher's thread would hold up every other client's events. The
 * finished messages go back to the dispatcher, which sends them to the client as it reads.
 */
final class SeriesReplies {
  private static final PulseLog LOG = PulseLog.forComponent("broadcaster");

  private final HandOff<Request> builds;
  /** The series thread's own: an EnvelopeWriter reuses its buffer. */
  private final EnvelopeWriter writer = new EnvelopeWriter();
  private final Dispatcher dispatcher;
  private volatile SeriesSource source = SeriesSource.NONE;

  /** Build it on an agent thread (its thread is made here); {@code capacity}: builds waiting. */
  SeriesReplies(int capacity, Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
    this.builds = new HandOff<>(capacity, 0, "pulse-series", null, this::build);
  }

  void answerFrom(SeriesSource source) {
    this.source = source;
  }

  /**
   * Dispatcher thread: queues the reply to {@code session}'s request, its messages numbered
   * {@code seq} (the stream's seq when asked); false when too many are being built already.
   */
  boolean request(ClientSession session, int minutes, long seq, String echo) {
    return builds.offer(new Request(session, minutes, seq, echo));
  }

  void stop() {
    builds.stop();
  }

  private void build(Request request) {
    List<OutboundMessage> messages;
    try {
      messages = messages(request);
    } catch (RuntimeException | LinkageError e) {
      // the client hears of it and may ask again: a failed build must not leave it pending
      LOG.warn("the series could not be read", e);
      String message = "the series could not be read: " + e;
      dispatcher.submit(() -> dispatcher.seriesFailed(request.session, message, request.echo));
      return;
    }
    dispatcher.submit(() -> dispatcher.seriesBuilt(request.session, messages));
  }

  /** One {@code series} message per series the source holds, then {@code series_end}. */
  private List<OutboundMessage> messages(Request request) {
    List<Map<String, ?>> all = source.series(request.minutes);
    long now = System.currentTimeMillis();
    List<OutboundMessage> messages = new ArrayList<>(all.size() + 1);
    for (Map<String, ?> one : all) {
      messages.add(control("series", one, request.seq, now));
    }
    Map<String, Object> end = new LinkedHashMap<>();
    end.put("minutes", request.minutes);
    end.put("series", all.size());
    messages.add(control("series_end", end, request.seq, now));
    return messages;
  }

  private OutboundMessage control(String type, Map<String, ?> data, long seq, long timestampMillis) {
    byte[] json = writer.write(type, EnvelopeWriter.CONTROL_CHANNEL, seq, data, timestampMillis);
    return new OutboundMessage(seq, null, null, json);
  }

  private static final class Request {
    final ClientSession session;
    final int minutes;
    final long seq;
    final String echo;

    Request(ClientSession session, int minutes, long seq, String echo) {
      this.session = session;
      this.minutes = minutes;
      this.seq = seq;
      this.echo = echo;
    }
  }
}
