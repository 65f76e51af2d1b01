package dev.pulse.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.net.InetAddress;
import java.nio.file.Paths;
import java.util.Map;
import java.util.UUID;

/**
 * The resource every exported metric and record carries: {@code service.name} (OTEL_SERVICE_NAME,
 * else OTEL_RESOURCE_ATTRIBUTES, else the application's jar or main class),
 * {@code service.instance.id} (new for every JVM), {@code host.name}, {@code process.pid}, and the
 * other OTEL_RESOURCE_ATTRIBUTES.
 */
final class ServiceResource {
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");

  private ServiceResource() {
  }

  static Resource of(Map<String, String> environment, String javaCommand) {
    AttributesBuilder attributes = Attributes.builder()
        .put(SERVICE_NAME, applicationName(javaCommand))
        .put(INSTANCE_ID, UUID.randomUUID().toString())
        .put(HOST_NAME, hostName())
        .put(PID, ProcessHandle.current().pid())
        .put("telemetry.sdk.name", "opentelemetry")
        .put("telemetry.sdk.language", "java");
    OtlpTarget.keyValues(environment.get("OTEL_RESOURCE_ATTRIBUTES")).forEach(attributes::put);
    String serviceName = environment.get("OTEL_SERVICE_NAME");
    if (serviceName != null && !serviceName.trim().isEmpty()) {
      attributes.put(SERVICE_NAME, serviceName.trim());
    }
    return Resource.create(attributes.build());
  }

  /** The jar's name without .jar for {@code java -jar app.jar}, else the main class. */
  static String applicationName(String javaCommand) {
    String first = javaCommand == null || javaCommand.trim().isEmpty() ? ""
        : javaCommand.trim().split("\\s+")[0];
    if (first.isEmpty()) {
      return "unknown_service:java";
    }
    if (first.endsWith(".jar")) {
      String file = Paths.get(first).getFileName().toString();
      return file.substring(0, file.length() - ".jar".length());
    }
    return first;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
