package dev.pulse.agent.config;

import dev.pulse.broadcaster.BroadcasterConfig;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The settings in force, with the problems found reading them and the parts those switched off. */
public final class AgentSettings {
  private final Map<Setting<?>, Object> values;
  private final List<String> problems;
  private final Set<Part> partsOff;

  AgentSettings(Map<Setting<?>, Object> values, List<String> problems, Set<Part> partsOff) {
    this.values = values;
    this.problems = Collections.unmodifiableList(problems);
    this.partsOff = partsOff.isEmpty() ? EnumSet.noneOf(Part.class) : EnumSet.copyOf(partsOff);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return values.containsKey(setting) ? (T) values.get(setting) : setting.defaultValue();
  }

  /** True when a bad setting switched this part off, or the whole agent is off. */
  public boolean isOff(Part part) {
    return partsOff.contains(part) || partsOff.contains(Part.AGENT) || !get(Settings.ENABLED);
  }

  /** True when this part is not switched off and its {@code enabled} setting is true. */
  public boolean isOn(Part part, Setting<Boolean> enabled) {
    return !isOff(part) && get(enabled);
  }

  /** One message per problem, each naming the key, the value and what is allowed. */
  public List<String> problems() {
    return problems;
  }

  public BroadcasterConfig broadcasterConfig() {
    return new BroadcasterConfig()
        .host(get(Settings.HOST))
        .port(get(Settings.PORT))
        .token(get(Settings.TOKEN))
        .allowedOrigins(new LinkedHashSet<>(get(Settings.ORIGINS)))
        .tlsKeystore(get(Settings.TLS_KEYSTORE))
        .tlsPassword(get(Settings.TLS_PASSWORD))
        .historySize(get(Settings.HISTORY_SIZE))
        .queueCapacity(get(Settings.QUEUE_CAPACITY))
        .maxClients(get(Settings.CLIENTS_MAX))
        .maxPendingBytesPerClient(get(Settings.CLIENT_BUFFER))
        .maxFrameBytes((int) (long) get(Settings.FRAME_MAX))
        .pingIntervalSeconds((int) get(Settings.PING_INTERVAL).getSeconds())
        .maxHandshakeBytes((int) (long) get(Settings.HANDSHAKE_SIZE))
        .handshakeTimeoutMillis(get(Settings.HANDSHAKE_TIMEOUT).toMillis())
        .maxPendingHandshakes(get(Settings.HANDSHAKES_MAX));
  }
}
