package dev.pulse.broadcaster;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How the broadcaster listens and what it holds. Values are validated by whoever builds this
 * (the agent's settings); the defaults here are the documented ones.
 */
public final class BroadcasterConfig {
  /** Origin allowlist entry that admits any page: an explicit, logged opt-out of the check. */
  public static final String ANY_ORIGIN = "*";

  private String host = "127.0.0.1";
  private int port = 8025;
  private String token;
  private Set<String> allowedOrigins = new LinkedHashSet<>();
  private Set<Integer> pagePorts = Set.of();
  private Path tlsKeystore;
  private String tlsPassword = "";
  private int historySize = 1000;
  private int queueCapacity = 10_000;
  private int maxClients = 100;
  private int maxFrameBytes = 64 * 1024;
  private long maxPendingBytesPerClient = 1024 * 1024;
  private int pingIntervalSeconds = 30;
  private int maxHandshakeBytes = 16 * 1024;
  private long handshakeTimeoutMillis = 10_000;
  private int maxPendingHandshakes = 64;
  private long refusalLogIntervalMillis = 10_000;

  public String host() {
    return host;
  }

  public BroadcasterConfig host(String value) {
    this.host = value;
    return this;
  }

  public int port() {
    return port;
  }

  /** 0 picks a free port; {@link Broadcaster#port()} tells which. */
  public BroadcasterConfig port(int value) {
    this.port = value;
    return this;
  }

  /** Null when no token is required. */
  public String token() {
    return token;
  }

  public BroadcasterConfig token(String value) {
    this.token = value == null || value.isEmpty() ? null : value;
    return this;
  }

  /**
   * Origins (scheme://host[:port]) whose pages may open the stream. Clients that send no Origin
   * (command-line tools) are always admitted; so is the server's own origin.
   */
  public Set<String> allowedOrigins() {
    return Collections.unmodifiableSet(allowedOrigins);
  }

  public BroadcasterConfig allowedOrigins(Set<String> origins) {
    this.allowedOrigins = new LinkedHashSet<>(origins);
    return this;
  }

  /**
   * Ports on which this machine serves pages of its own over http (the agent's dashboard). Such a
   * page may open the stream when its Origin names it by a loopback name, or, with a token
   * required, by the very name the handshake came to. Without a token no other name counts: a page
   * that needs no secret could be anyone's, served under a name rebound to this machine.
   */
  public Set<Integer> pagePorts() {
    return pagePorts;
  }

  public BroadcasterConfig pagePorts(Set<Integer> ports) {
    this.pagePorts = Set.copyOf(ports);
    return this;
  }

  /** Null for plain ws://. */
  public Path tlsKeystore() {
    return tlsKeystore;
  }

  public BroadcasterConfig tlsKeystore(Path keystore) {
    this.tlsKeystore = keystore;
    return this;
  }

  public String tlsPassword() {
    return tlsPassword;
  }

  public BroadcasterConfig tlsPassword(String password) {
    this.tlsPassword = password == null ? "" : password;
    return this;
  }

  public int historySize() {
    return historySize;
  }

  public BroadcasterConfig historySize(int value) {
    this.historySize = value;
    return this;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public BroadcasterConfig queueCapacity(int value) {
    this.queueCapacity = value;
    return this;
  }

  public int maxClients() {
    return maxClients;
  }

  public BroadcasterConfig maxClients(int value) {
    this.maxClients = value;
    return this;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public BroadcasterConfig maxFrameBytes(int value) {
    this.maxFrameBytes = value;
    return this;
  }

  public long maxPendingBytesPerClient() {
    return maxPendingBytesPerClient;
  }

  public BroadcasterConfig maxPendingBytesPerClient(long value) {
    this.maxPendingBytesPerClient = value;
    return this;
  }

  public int pingIntervalSeconds() {
    return pingIntervalSeconds;
  }

  /** 0 turns ping/pong liveness off. */
  public BroadcasterConfig pingIntervalSeconds(int value) {
    this.pingIntervalSeconds = value;
    return this;
  }

  public int maxHandshakeBytes() {
    return maxHandshakeBytes;
  }

  /** A larger handshake request is refused (431) and closed. */
  public BroadcasterConfig maxHandshakeBytes(int value) {
    this.maxHandshakeBytes = value;
    return this;
  }

  public long handshakeTimeoutMillis() {
    return handshakeTimeoutMillis;
  }

  /** A connection whose handshake is not done within this time is closed. */
  public BroadcasterConfig handshakeTimeoutMillis(long value) {
    this.handshakeTimeoutMillis = value;
    return this;
  }

  public int maxPendingHandshakes() {
    return maxPendingHandshakes;
  }

  /** Connections still in their handshake (not yet admitted) at once; more are closed at once. */
  public BroadcasterConfig maxPendingHandshakes(int value) {
    this.maxPendingHandshakes = value;
    return this;
  }

  public long refusalLogIntervalMillis() {
    return refusalLogIntervalMillis;
  }

  /** Refused connections are logged at most once per this interval for each reason. */
  public BroadcasterConfig refusalLogIntervalMillis(long value) {
    this.refusalLogIntervalMillis = value;
    return this;
  }

  public boolean tls() {
    return tlsKeystore != null;
  }
}
