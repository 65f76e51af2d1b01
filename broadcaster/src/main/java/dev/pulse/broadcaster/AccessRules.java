package dev.pulse.broadcaster;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;

/**
 * The access rules the stream and any page served beside it share: which Host headers name this
 * machine, and whether a request carries the token (compared in constant time on digests, so
 * neither its content nor its length leaks through timing).
 */
public final class AccessRules {
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  private final byte[] tokenDigest;

  /** {@code token} null: no token is required. */
  public AccessRules(String token) {
    this.tokenDigest = token == null ? null : digest(token);
  }

  public boolean tokenRequired() {
    return tokenDigest != null;
  }

  /**
   * True when no token is required or one of the presented ones is right: the value of an
   * {@code Authorization: Bearer} header (may be null) or of the {@code token} query parameter of
   * {@code pathAndQuery}. Either suffices: a wrong one beside a right one does not count against
   * it (a proxy may add an Authorization header of its own to a URL that carries the token), and
   * an attacker gains nothing by sending two wrong ones.
   */
  public boolean tokenAccepted(String authorization, String pathAndQuery) {
    if (tokenDigest == null) {
      return true;
    }
    boolean bearerRight = matches(bearer(authorization));
    boolean queryRight = matches(queryToken(pathAndQuery));
    return bearerRight | queryRight; // both compared, whatever the first says
  }

  private boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(tokenDigest, digest(presented));
  }

  /** The host name of a Host header, lower case, without the port. */
  public static String hostName(String hostHeader) {
    String host = hostHeader == null ? "" : hostHeader.trim().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0 ? host.substring(0, end + 1) : host;
    }
    int colon = host.lastIndexOf(':');
    return colon >= 0 ? host.substring(0, colon) : host;
  }

  /** True when the Host header names this machine by a loopback name (not a rebound DNS name). */
  public static boolean isLoopbackHost(String hostHeader) {
    return LOOPBACK_HOSTS.contains(hostName(hostHeader));
  }

  /** True when the listen address is a loopback one. */
  public static boolean isLoopbackAddress(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The origins a page served on {@code port} of this machine sends. */
  static Set<String> loopbackOrigins(String scheme, int port) {
    return Set.of(scheme + "://127.0.0.1:" + port, scheme + "://localhost:" + port,
        scheme + "://[::1]:" + port);
  }

  private static String bearer(String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return null;
  }

  private static String queryToken(String pathAndQuery) {
    int query = pathAndQuery == null ? -1 : pathAndQuery.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : pathAndQuery.substring(query + 1).split("&")) {
      if (pair.startsWith("token=")) {
        try {
          return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return null; // a malformed escape is a wrong token, not a failure
        }
      }
    }
    return null;
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required on every JVM", e);
    }
  }
}
