package dev.pulse.broadcaster;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import org.java_websocket.handshake.ClientHandshake;

/**
 * Who may open the stream. Binding to loopback is not enough: any web page can open
 * ws://127.0.0.1, and DNS rebinding defeats host names. So a browser's Origin must be on an exact
 * allowlist, the Host must be a loopback name while the server listens on loopback, and, when a
 * token is set, it must match (compared in constant time on digests, so neither content nor length
 * leaks through timing).
 */
final class HandshakePolicy {
  private static final Set<String> LOOPBACK_HOSTS =
      Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  private final Set<String> allowedOrigins = new LinkedHashSet<>();
  private final boolean anyOrigin;
  private final boolean loopbackOnly;
  private final byte[] tokenDigest;
  private final String scheme;
  private final IntSupplier boundPort;

  HandshakePolicy(BroadcasterConfig config, IntSupplier boundPort) {
    for (String origin : config.allowedOrigins()) {
      allowedOrigins.add(normalizeOrigin(origin));
    }
    this.anyOrigin = allowedOrigins.contains(BroadcasterConfig.ANY_ORIGIN);
    this.loopbackOnly = isLoopback(config.host());
    this.tokenDigest = config.token() == null ? null : digest(config.token());
    this.scheme = config.tls() ? "https" : "http";
    this.boundPort = boundPort;
  }

  /** Why the handshake is refused before any upgrade, or null when Origin and Host are fine. */
  String refusal(ClientHandshake request) {
    if (loopbackOnly) {
      String host = hostName(request.getFieldValue("Host"));
      if (!LOOPBACK_HOSTS.contains(host)) {
        return "host not allowed: \"" + host + "\" (the stream listens on loopback only)";
      }
    }
    String origin = request.getFieldValue("Origin");
    if (origin.isEmpty() || anyOrigin) {
      return null; // command-line clients send no Origin; browsers always do
    }
    String normalized = normalizeOrigin(origin);
    if (allowedOrigins.contains(normalized) || isOwnOrigin(normalized)) {
      return null;
    }
    return "origin not allowed: " + origin;
  }

  boolean tokenRequired() {
    return tokenDigest != null;
  }

  /** True when no token is required or the request carries the right one. */
  boolean tokenAccepted(ClientHandshake request) {
    if (tokenDigest == null) {
      return true;
    }
    String presented = presentedToken(request);
    return presented != null && MessageDigest.isEqual(tokenDigest, digest(presented));
  }

  private static String presentedToken(ClientHandshake request) {
    String authorization = request.getFieldValue("Authorization");
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    String resource = request.getResourceDescriptor();
    int query = resource.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : resource.substring(query + 1).split("&")) {
      if (pair.startsWith("token=")) {
        return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private boolean isOwnOrigin(String origin) {
    int port = boundPort.getAsInt();
    for (String host : LOOPBACK_HOSTS) {
      if (!host.equals("::1") && origin.equals(scheme + "://" + host + ":" + port)) {
        return true;
      }
    }
    return false;
  }

  static String normalizeOrigin(String origin) {
    String value = origin.trim().toLowerCase(Locale.ROOT);
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }

  private static String hostName(String hostHeader) {
    String host = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0 ? host.substring(0, end + 1) : host;
    }
    int colon = host.lastIndexOf(':');
    return colon >= 0 ? host.substring(0, colon) : host;
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required on every JVM", e);
    }
  }
}
