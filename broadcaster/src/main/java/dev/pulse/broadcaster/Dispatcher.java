package dev.pulse.broadcaster;

import dev.pulse.log.PulseLog;
import dev.pulse.threads.AgentThreads;
import dev.pulse.threads.ParkingSignal;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

/**
 * The broadcaster's own thread. It owns all mutable state (sequence, history, snapshots, client
 * subscriptions), so none of it needs a lock: publishers and network threads only hand it events
 * and commands through lock-free queues, and it does every serialization and every send.
 */
final class Dispatcher implements Runnable {
  static final int SLOW_CONSUMER_CODE = 4008;
  /** At most this often an {@code events_dropped} notice, however many drops in between. */
  private static final long DROP_NOTICE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  private static final long HARD_CLOSE_AFTER_MILLIS = 2000;
  private static final int MAX_BATCH = 1024;
  /** With no client, events wait in the queue until this many are there (or a client connects). */
  private static final int UNWATCHED_BATCH = 64;
  /** While a long reply waits for a client to read, its buffer is looked at this often. */
  private static final long QUEUED_REPLY_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final PulseLog LOG = PulseLog.forComponent("broadcaster");

  private final BroadcasterConfig config;
  private final DropOldestQueue<Event> events;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final EnvelopeWriter writer = new EnvelopeWriter();
  /** The events of one round, written once for every client, and one client's frames of them. */
  private final List<OutboundMessage> batch = new ArrayList<>();
  private final ByteBuffer[] frames = new ByteBuffer[MAX_BATCH];
  private final History history;
  private final StateSnapshots snapshots = new StateSnapshots(1000);
  private final List<ClientSession> sessions = new ArrayList<>();
  private final Map<WebSocket, Long> closingSlowClients = new LinkedHashMap<>();
  private final List<Consumer<Boolean>> audienceWatchers = new ArrayList<>();
  private final String serverId = newServerId();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong slowClientsClosed = new AtomicLong();
  private final Thread thread;
  private final ParkingSignal signal;
  private final BooleanSupplier hasWork = this::hasWork;
  private final int unwatchedBatch;
  private final SeriesReplies seriesReplies;

  private volatile boolean running = true;
  private volatile int clientCount;
  private long seq;
  private long droppedReported;
  private long lastDropNotice;

  Dispatcher(BroadcasterConfig config) {
    this.config = config;
    this.events = new DropOldestQueue<>(config.queueCapacity());
    this.unwatchedBatch = Math.max(1, Math.min(UNWATCHED_BATCH, config.queueCapacity() / 2));
    this.history = new History(config.historySize());
    // built here, on the agent's thread; started by the first event batch or client (see wake)
    this.thread = AgentThreads.unstarted("pulse-broadcaster", this);
    this.signal = new ParkingSignal(thread);
    // one reply at a time per client: at most one build per client waits
    this.seriesReplies = new SeriesReplies(config.maxClients(), this);
    this.lastDropNotice = System.nanoTime() - DROP_NOTICE_NANOS;
  }

  /**
   * Any thread; never blocks, allocates only the queue node. Wakes this thread only when it is
   * parked (while it works, a publish costs one volatile read more than the enqueue), and with no
   * client connected only once a batch has gathered: nobody waits for those events, so they are
   * numbered and kept for later clients a batch at a time, one wake-up for many.
   */
  void publish(Event event) {
    int held = events.offer(event);
    published.incrementAndGet();
    if (clientCount > 0 || held >= unwatchedBatch) {
      signal.wake();
    }
  }

  /** Network threads hand client work to this thread. */
  void submit(Runnable command) {
    commands.offer(command);
    signal.wake();
  }

  void stop() {
    running = false;
    seriesReplies.stop();
    if (!signal.started()) {
      return; // never had work: nothing to stop (a thread started later sees running false)
    }
    signal.wake();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void answerSeries(SeriesSource source) {
    seriesReplies.answerFrom(source);
  }

  long published() {
    return published.get();
  }

  long dropped() {
    return events.dropped();
  }

  long slowClientsClosed() {
    return slowClientsClosed.get();
  }

  int clientCount() {
    return clientCount;
  }

  String serverId() {
    return serverId;
  }

  /**
   * A version 4 UUID from a plain random source: the id only tells one start from another, and
   * UUID.randomUUID's SecureRandom would cost the agent's start its providers and seeding, some
   * tens of milliseconds (the server's draft makes one too, but only with the first client).
   */
  private static String newServerId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long low = (random.nextLong() & ~(3L << 62)) | (2L << 62); // the IETF variant
    return new UUID(high, low).toString();
  }

  @Override
  public void run() {
    while (running) {
      boolean worked = false;
      long waitNanos = 0;
      try {
        // Events first: a client that connects gets, as the present, every event published
        // before it (unwatched events may have waited in the queue).
        worked = dispatchEvents() | runCommands() | sendQueuedReplies();
        if (!closingSlowClients.isEmpty()
            && sessions.removeIf(s -> closingSlowClients.containsKey(s.connection()))) {
          clientsChanged();
        }
        waitNanos = housekeeping();
      } catch (RuntimeException | LinkageError e) {
        // One bad event or client must not end the stream for everyone else.
        LOG.warn("dispatch failed; continuing", e);
      }
      if (!worked) {
        // Parks without a timeout unless a notice or a hard close falls due: an idle stream never
        // wakes this thread by itself.
        signal.park(hasWork, waitNanos);
      }
    }
  }

  private boolean hasWork() {
    return !events.isEmpty() || !commands.isEmpty() || !running;
  }

  private boolean runCommands() {
    boolean worked = false;
    Runnable command;
    while ((command = commands.poll()) != null) {
      command.run();
      worked = true;
    }
    return worked;
  }

  /** Sends each client as much of its long reply as its buffer has room for. */
  private boolean sendQueuedReplies() {
    boolean worked = false;
    for (int i = 0; i < sessions.size(); i++) {
      ClientSession session = sessions.get(i);
      ArrayDeque<OutboundMessage> queued = session.queuedReplies();
      while (!queued.isEmpty()) {
        long pending = session.pendingBytes();
        // an empty buffer always takes the next message, however long: a reply's message is
        // bounded by what it describes (15 minutes of one series), not by the client
        if (pending > 0 && pending + queued.peek().byteLength() > config.maxPendingBytesPerClient()) {
          break;
        }
        deliver(session, queued.poll());
        worked = true;
      }
    }
    return worked;
  }

  /**
   * Numbers and keeps up to {@link #MAX_BATCH} waiting events, then sends them to each client in
   * one write: a thread that fell behind (a burst, a busy machine) catches up with one system
   * call per client for all that waited, not one per event and client.
   */
  private boolean dispatchEvents() {
    Event event;
    while (batch.size() < MAX_BATCH && (event = events.poll()) != null) {
      OutboundMessage message = numbered(event);
      if (message != null) {
        history.add(message);
        snapshots.remember(event, message);
        batch.add(message);
      }
    }
    if (batch.isEmpty()) {
      return false;
    }
    for (int i = 0; i < sessions.size(); i++) {
      ClientSession session = sessions.get(i);
      int count = 0;
      long bytes = 0;
      for (int m = 0; m < batch.size(); m++) {
        OutboundMessage message = batch.get(m);
        if (session.wants(message.channel()) && written(message)) {
          frames[count++] = message.frame();
          bytes += message.byteLength();
        }
      }
      if (count > 0 && withinBudget(session, bytes)) {
        deliver(session, frames, count);
      }
    }
    batch.clear();
    Arrays.fill(frames, null);
    return true;
  }

  /** True when the message was handed to the client's connection. */
  private boolean send(ClientSession session, OutboundMessage message) {
    if (written(message) && withinBudget(session, message.byteLength())) {
      return deliver(session, message);
    }
    return false;
  }

  /**
   * The event with the next seq, or null when it cannot be written (it then takes no number and
   * replaces no held state). An event whose data the writer writes itself, which cannot fail, is
   * written when the first client needs it, here or at a later resume or subscribe: with no client
   * watching, nothing is written at all. Any other is written now, to know.
   */
  private OutboundMessage numbered(Event event) {
    OutboundMessage message = OutboundMessage.unwritten(seq + 1, event);
    if (!EnvelopeWriter.writesItself(event.data())) {
      try {
        message.write(writer);
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("an event of type " + event.type() + " could not be written; dropped", e);
        return null;
      }
    }
    seq++;
    return message;
  }

  /**
   * Writes a message the first time a client needs it. Only messages the writer writes itself
   * are left unwritten, so a failure here is not expected; one would be logged once and the
   * message sent to nobody.
   */
  private boolean written(OutboundMessage message) {
    try {
      return message.write(writer);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("a " + message.channel().wireName() + " event (seq " + message.seq()
          + ") could not be written; not sent", e);
      return false;
    }
  }

  /** False when the client is closed or being closed, or is now closed for being too far behind. */
  private boolean withinBudget(ClientSession session, long bytes) {
    WebSocket connection = session.connection();
    if (!connection.isOpen() || closingSlowClients.containsKey(connection)) {
      return false;
    }
    long counted = session.pendingBytes();
    long pending = counted + bytes;
    if (counted >= 0
        && session.overBudget(pending, config.maxPendingBytesPerClient(), System.nanoTime())) {
      closeSlow(session, pending);
      return false;
    }
    return true;
  }

  /** Queues the frame on the client's connection, its budget already looked at. */
  private boolean deliver(ClientSession session, OutboundMessage message) {
    return deliver(session, new ByteBuffer[] {message.frame()}, 1);
  }

  /** True when the frames were handed to the connection. */
  private boolean deliver(ClientSession session, ByteBuffer[] frames, int count) {
    WebSocket connection = session.connection();
    if (!connection.isOpen() || closingSlowClients.containsKey(connection)) {
      return false;
    }
    try {
      // every connection the server opens is one (GuardedSocketFactory)
      ((GuardedConnection) connection).sendFramed(frames, count);
      return true;
    } catch (WebsocketNotConnectedException e) {
      return false; // closed between the check and the send; its onClose removes it
    }
  }

  private void closeSlow(ClientSession session, long pending) {
    String reason = "slow consumer: " + pending + " bytes not yet read, limit "
        + config.maxPendingBytesPerClient();
    LOG.warn("closing client " + session.remote() + ": " + reason);
    slowClientsClosed.incrementAndGet();
    closingSlowClients.put(session.connection(), System.currentTimeMillis());
    session.connection().close(SLOW_CONSUMER_CODE, reason);
  }

  /**
   * Tells every client about dropped events (at most every {@link #DROP_NOTICE_NANOS}) and cuts
   * slow clients that did not read their close frame in time; returns how long until one of these
   * falls due, or 0 when nothing is pending.
   */
  private long housekeeping() {
    long wait = 0;
    long dropped = events.dropped();
    if (dropped > droppedReported) {
      long now = System.nanoTime();
      if (now - lastDropNotice >= DROP_NOTICE_NANOS) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dropped_since_last_notice", dropped - droppedReported);
        data.put("dropped_events", dropped);
        droppedReported = dropped;
        lastDropNotice = now;
        for (ClientSession session : sessions) {
          reply(session, "events_dropped", data);
        }
      } else {
        wait = DROP_NOTICE_NANOS - (now - lastDropNotice);
      }
    }
    for (ClientSession session : sessions) {
      if (!session.queuedReplies().isEmpty()) {
        // no event tells when a socket drained: looked at again soon, only while a reply waits
        wait = wait == 0 ? QUEUED_REPLY_CHECK_NANOS : Math.min(wait, QUEUED_REPLY_CHECK_NANOS);
      }
    }
    // A client that never reads never reads our close frame either: cut its socket.
    long now = System.currentTimeMillis();
    for (Iterator<Map.Entry<WebSocket, Long>> it = closingSlowClients.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<WebSocket, Long> entry = it.next();
      long left = entry.getValue() + HARD_CLOSE_AFTER_MILLIS - now;
      if (entry.getKey().isClosed()) {
        it.remove();
      } else if (left < 0) {
        entry.getKey().closeConnection(SLOW_CONSUMER_CODE, "slow consumer");
        it.remove();
      } else {
        // checked again soon: its close may complete before the deadline
        long nanos = TimeUnit.MILLISECONDS.toNanos(Math.min(left + 1, 250));
        wait = wait == 0 ? nanos : Math.min(wait, nanos);
      }
    }
    return wait;
  }

  // ---- client commands, run on this thread ----

  /**
   * {@code watcher} is told, on this thread, whether any client is connected: when this thread
   * next runs, and at every change between none and some. It must not block, and must start from
   * "no client".
   */
  void watchAudience(Consumer<Boolean> watcher) {
    commands.offer(() -> {
      audienceWatchers.add(watcher);
      tell(watcher, !sessions.isEmpty());
    });
    // With no client the answer is the watcher's starting point: it is told when this thread
    // next runs (at the latest before the first client's connect), and no thread starts for it.
    if (clientCount > 0) {
      signal.wake();
    }
  }

  private void clientsChanged() {
    boolean had = clientCount > 0;
    clientCount = sessions.size();
    if (had != clientCount > 0) {
      for (Consumer<Boolean> watcher : audienceWatchers) {
        tell(watcher, clientCount > 0);
      }
    }
  }

  private static void tell(Consumer<Boolean> watcher, boolean clients) {
    try {
      watcher.accept(clients);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("a client-count watcher failed", e);
    }
  }

  void connected(ClientSession session) {
    sessions.add(session);
    clientsChanged();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("server_id", serverId);
    data.put("last_seq", seq);
    data.put("oldest_seq", history.completeFrom(session.channels()));
    data.put("channels", channelNames(session.channels()));
    data.put("actions", ClientRequest.ALLOWED_ACTIONS.split(", "));
    data.put("dropped_events", events.dropped());
    reply(session, "welcome", data);
    for (OutboundMessage state : snapshots.of(session.channels())) {
      send(session, state);
    }
  }

  void disconnected(ClientSession session) {
    sessions.remove(session);
    clientsChanged();
  }

  void handle(ClientSession session, ClientRequest request) {
    if (!sessions.contains(session)) {
      return;
    }
    if (request.isError()) {
      error(session, request.errorCode(), request.errorMessage(), request.echo());
      return;
    }
    switch (request.action()) {
      case SUBSCRIBE:
        // A client gets the present of a channel when it starts receiving it: at connect for
        // all channels, and here only for channels it did not receive until now.
        Set<Channel> added = EnumSet.copyOf(request.channels());
        added.removeAll(session.channels());
        session.subscribe(request.channels());
        reply(session, "subscribed", Map.of("channels", channelNames(session.channels())));
        for (OutboundMessage state : snapshots.of(added)) {
          send(session, state);
        }
        break;
      case UNSUBSCRIBE:
        session.unsubscribe(request.channels());
        reply(session, "unsubscribed", Map.of("channels", channelNames(session.channels())));
        break;
      case RESUME:
        resume(session, request);
        break;
      case SERIES:
        series(session, request);
        break;
      case PING:
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("last_seq", seq);
        data.put("dropped_events", events.dropped());
        data.put("clients", sessions.size());
        reply(session, "pong", data);
        break;
      default:
        throw new IllegalStateException("unhandled action " + request.action());
    }
  }

  private void resume(ClientSession session, ClientRequest request) {
    long since = request.since();
    boolean otherServer = request.serverId() != null && !request.serverId().equals(serverId);
    if (otherServer) {
      since = 0; // seqs restarted with this server: everything held is new to the client
    }
    Set<Channel> lost = history.lostAfter(since, session.channels());
    if (otherServer || !lost.isEmpty()) {
      Map<String, Object> gap = new LinkedHashMap<>();
      gap.put("requested_since", request.since());
      gap.put("oldest_seq", history.completeFrom(session.channels()));
      gap.put("server_id", serverId);
      gap.put("reason", otherServer ? "server restarted: seqs begin again"
          : "messages older than oldest_seq are no longer held");
      gap.put("channels", channelNames(otherServer ? session.channels() : lost));
      reply(session, "resume_gap", gap);
    }
    int[] replayed = {0}; // the messages sent: an unwritable one is not
    history.replayAfter(since, session.channels(), message -> {
      if (send(session, message)) {
        replayed[0]++;
      }
    });
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("since", since);
    done.put("replayed", replayed[0]);
    done.put("last_seq", seq);
    reply(session, "resumed", done);
  }

  /**
   * One {@code series} message per series, then {@code series_end}: built on the series thread
   * ({@link SeriesReplies}), so other clients' events go on meanwhile; then queued and sent as the
   * client's buffer has room, so a long history never counts as a slow consumer's backlog.
   */
  private void series(ClientSession session, ClientRequest request) {
    if (session.seriesBuilding() || !session.queuedReplies().isEmpty()) {
      error(session, "series_pending", "the previous series reply is still being sent; ask again"
          + " after its series_end", request.echo());
      return;
    }
    if (!seriesReplies.request(session, request.minutes(), seq, request.echo())) {
      error(session, "series_unavailable", "too many series replies are being built; ask again"
          + " later", request.echo());
      return;
    }
    session.seriesBuilding(true);
  }

  /** A series reply built for {@code session}: sent as its buffer has room. */
  void seriesBuilt(ClientSession session, List<OutboundMessage> messages) {
    session.seriesBuilding(false);
    if (!sessions.contains(session)) {
      return; // gone meanwhile
    }
    session.queuedReplies().addAll(messages);
    sendQueuedReplies();
  }

  void seriesFailed(ClientSession session, String message, String echo) {
    session.seriesBuilding(false);
    if (sessions.contains(session)) {
      error(session, "series_unavailable", message, echo);
    }
  }

  void error(ClientSession session, String code, String message, String request) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("code", code);
    data.put("message", message);
    if (request != null) {
      data.put("request", request);
    }
    reply(session, "error", data);
  }

  /** A control message to one client: it carries the current seq and does not advance it. */
  private void reply(ClientSession session, String type, Map<String, ?> data) {
    send(session, control(type, data, System.currentTimeMillis()));
  }

  private OutboundMessage control(String type, Map<String, ?> data, long timestampMillis) {
    byte[] json = writer.write(type, EnvelopeWriter.CONTROL_CHANNEL, seq, data, timestampMillis);
    return new OutboundMessage(seq, null, null, json);
  }

  private static List<String> channelNames(Set<Channel> channels) {
    List<String> names = new ArrayList<>(channels.size());
    for (Channel channel : channels) {
      names.add(channel.wireName());
    }
    return names;
  }
}
