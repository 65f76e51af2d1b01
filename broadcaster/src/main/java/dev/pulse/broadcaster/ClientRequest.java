package dev.pulse.broadcaster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A client's text frame, parsed: an action with its arguments, or the error to send back. Parsing
 * happens on the network thread; the result is carried out on the dispatcher thread.
 */
final class ClientRequest {
  enum Action {
    SUBSCRIBE, UNSUBSCRIBE, RESUME, PING, SERIES
  }

  static final String ALLOWED_ACTIONS = "subscribe, unsubscribe, resume, ping, series";
  /** What {@code series} covers when the client does not say, and the most it may ask for. */
  static final int MAX_SERIES_MINUTES = 15;
  private static final int ECHO_LIMIT = 200;

  // Client frames are small; a deep or huge document is an attack or a bug, not a request.
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(16)
          .maxStringLength(16 * 1024)
          .maxNumberLength(32)
          .build())
      .build());

  private final Action action;
  private final Set<Channel> channels;
  /** resume: the last seq seen; series: the minutes asked for. */
  private final long since;
  private final String serverId;
  private final String errorCode;
  private final String errorMessage;
  private final String echo;

  private ClientRequest(Action action, Set<Channel> channels, long since, String serverId,
      String errorCode, String errorMessage, String echo) {
    this.action = action;
    this.channels = channels;
    this.since = since;
    this.serverId = serverId;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.echo = echo;
  }

  static ClientRequest parse(String text) {
    String echo = text.length() > ECHO_LIMIT ? text.substring(0, ECHO_LIMIT) + "..." : text;
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return error("invalid_json", "the frame is not valid JSON: " + e.getOriginalMessage(), echo);
    }
    if (root == null || !root.isObject()) {
      return error("not_an_object",
          "a request is a JSON object such as {\"action\":\"ping\"}", echo);
    }
    JsonNode actionNode = root.get("action");
    if (actionNode == null || !actionNode.isTextual()) {
      return error("missing_action",
          "the request has no \"action\" string; allowed actions: " + ALLOWED_ACTIONS, echo);
    }
    String name = actionNode.asText();
    switch (name) {
      case "subscribe":
        return withChannels(Action.SUBSCRIBE, root.get("channels"), echo);
      case "unsubscribe":
        return withChannels(Action.UNSUBSCRIBE, root.get("channels"), echo);
      case "resume":
        return resume(root, echo);
      case "ping":
        return new ClientRequest(Action.PING, null, 0, null, null, null, echo);
      case "series":
        return series(root, echo);
      default:
        return error("unknown_action",
            "unknown action \"" + abbreviate(name) + "\"; allowed actions: " + ALLOWED_ACTIONS, echo);
    }
  }

  private static ClientRequest withChannels(Action action, JsonNode node, String echo) {
    List<JsonNode> names = new ArrayList<>();
    if (node != null && node.isTextual()) {
      names.add(node);
    } else if (node != null && node.isArray() && node.size() > 0) {
      node.forEach(names::add);
    } else {
      return error("invalid_channels",
          "\"channels\" must be a non-empty array of channel names; allowed: "
              + Channel.allowedNames(), echo);
    }
    Set<Channel> channels = new LinkedHashSet<>();
    for (JsonNode entry : names) {
      Channel channel = entry.isTextual() ? Channel.fromWireName(entry.asText()) : null;
      if (channel == null) {
        return error("unknown_channel", "unknown channel " + abbreviate(entry.toString())
            + "; allowed: " + Channel.allowedNames(), echo);
      }
      channels.add(channel);
    }
    return new ClientRequest(action, Collections.unmodifiableSet(channels), 0, null, null, null,
        echo);
  }

  private static ClientRequest resume(JsonNode root, String echo) {
    JsonNode since = root.get("since");
    if (since == null || !since.isIntegralNumber() || !since.canConvertToLong() || since.asLong() < 0) {
      return error("invalid_since",
          "\"since\" must be a whole number >= 0: the last seq the client has seen", echo);
    }
    JsonNode serverId = root.get("server_id");
    String knownServerId = serverId != null && serverId.isTextual() ? serverId.asText() : null;
    return new ClientRequest(Action.RESUME, null, since.asLong(), knownServerId, null, null, echo);
  }

  private static ClientRequest series(JsonNode root, String echo) {
    JsonNode minutes = root.get("minutes");
    if (minutes == null) {
      return new ClientRequest(Action.SERIES, null, MAX_SERIES_MINUTES, null, null, null, echo);
    }
    if (!minutes.isIntegralNumber() || !minutes.canConvertToInt() || minutes.asInt() < 1
        || minutes.asInt() > MAX_SERIES_MINUTES) {
      return error("invalid_minutes", "\"minutes\" must be a whole number from 1 to "
          + MAX_SERIES_MINUTES + ": how far back the series go", echo);
    }
    return new ClientRequest(Action.SERIES, null, minutes.asInt(), null, null, null, echo);
  }

  static ClientRequest error(String code, String message, String echo) {
    return new ClientRequest(null, null, 0, null, code, message, echo);
  }

  private static String abbreviate(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "..." : value;
  }

  boolean isError() {
    return errorCode != null;
  }

  Action action() {
    return action;
  }

  Set<Channel> channels() {
    return channels;
  }

  long since() {
    return since;
  }

  /** For {@code series}: how many minutes back, 1 to {@link #MAX_SERIES_MINUTES}. */
  int minutes() {
    return (int) since;
  }

  /** The server id the client last saw, or null; a different one means seqs restarted. */
  String serverId() {
    return serverId;
  }

  String errorCode() {
    return errorCode;
  }

  String errorMessage() {
    return errorMessage;
  }

  /** The start of the frame, for the error reply. */
  String echo() {
    return echo;
  }
}
