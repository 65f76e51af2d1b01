package dev.pulse.broadcaster;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import org.java_websocket.handshake.ClientHandshake;

/**
 * Who may open the stream. Binding to loopback is not enough: any web page can open
 * ws://127.0.0.1, and DNS rebinding defeats host names. So a browser's Origin must be on an exact
 * allowlist or be a page this machine serves (by a loopback name, or, with a token, by the name
 * the handshake came to), the Host
 * must be a loopback name while the server listens on loopback, and, when a token is set, it must
 * match ({@link AccessRules}).
 */
final class HandshakePolicy {
  private final Set<String> allowedOrigins = new LinkedHashSet<>();
  private final Set<Integer> pagePorts;
  private final boolean anyOrigin;
  private final boolean loopbackOnly;
  private final AccessRules access;
  private final String scheme;
  private final IntSupplier boundPort;

  HandshakePolicy(BroadcasterConfig config, IntSupplier boundPort) {
    for (String origin : config.allowedOrigins()) {
      allowedOrigins.add(normalizeOrigin(origin));
    }
    this.anyOrigin = allowedOrigins.contains(BroadcasterConfig.ANY_ORIGIN);
    this.pagePorts = config.pagePorts();
    this.loopbackOnly = AccessRules.isLoopbackAddress(config.host());
    this.access = new AccessRules(config.token());
    this.scheme = config.tls() ? "https" : "http";
    this.boundPort = boundPort;
  }

  /** Why a handshake is refused: a fixed reason, and the client's own words that led to it. */
  static final class Refusal {
    private final String reason;
    private final String detail;

    Refusal(String reason, String detail) {
      this.reason = reason;
      this.detail = detail;
    }

    /** One of a few fixed phrases, safe to send back and to count by. */
    String reason() {
      return reason;
    }

    /** What the client sent, raw: to be cut and escaped before it is shown. */
    String detail() {
      return detail;
    }

    @Override
    public String toString() {
      return reason + ": " + detail;
    }
  }

  /** Why the handshake is refused before any upgrade, or null when Origin and Host are fine. */
  Refusal refusal(ClientHandshake request) {
    if (loopbackOnly && !AccessRules.isLoopbackHost(request.getFieldValue("Host"))) {
      return new Refusal("host not allowed (the stream listens on loopback only)",
          request.getFieldValue("Host"));
    }
    String origin = request.getFieldValue("Origin");
    if (origin.isEmpty() || anyOrigin) {
      return null; // command-line clients send no Origin; browsers always do
    }
    String normalized = normalizeOrigin(origin);
    if (allowedOrigins.contains(normalized) || isOwnOrigin(normalized)
        || isOwnPage(normalized, request.getFieldValue("Host"))) {
      return null;
    }
    return new Refusal("origin not allowed", origin);
  }

  boolean tokenRequired() {
    return access.tokenRequired();
  }

  /** True when no token is required or the request carries the right one. */
  boolean tokenAccepted(ClientHandshake request) {
    String authorization = request.getFieldValue("Authorization");
    return access.tokenAccepted(authorization.isEmpty() ? null : authorization,
        request.getResourceDescriptor());
  }

  private boolean isOwnOrigin(String origin) {
    return AccessRules.loopbackOrigins(scheme, boundPort.getAsInt()).contains(origin);
  }

  /**
   * A page this machine serves (BroadcasterConfig#pagePorts): by a loopback name, or,
   * with a token, by the very name the handshake came to.
   */
  private boolean isOwnPage(String origin, String hostHeader) {
    if (pagePorts.isEmpty()) {
      return false;
    }
    try {
      URI uri = new URI(origin);
      String host = uri.getHost();
      if (host == null || !scheme.equals(uri.getScheme()) // https with TLS: the same keystore serves both
          || !pagePorts.contains(uri.getPort() != -1 ? uri.getPort() : 80)) {
        return false;
      }
      return AccessRules.isLoopbackHost(host)
          || access.tokenRequired() && host.equals(AccessRules.hostName(hostHeader));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static String normalizeOrigin(String origin) {
    String value = origin.trim().toLowerCase(Locale.ROOT);
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }
}
