package dev.pulse.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.lang.reflect.Method;
import java.util.function.Supplier;

/**
 * Keeps the OpenTelemetry Java agent, when it runs in the same JVM, from tracing Pulse's own
 * exports: it instruments the JDK HttpClient the exporter sends with, and would add a client span
 * per push to the application's traces. Its bootstrap part has the same switch its own exporters
 * use (instrumentation suppressed for what runs inside, carried into executors); found by name,
 * and absent without that agent, in which case nothing is done.
 */
final class OtherAgent {
  private static final Method SUPPRESS = find();

  private OtherAgent() {
  }

  static CompletableResultCode quietly(Supplier<CompletableResultCode> export) {
    if (SUPPRESS == null) {
      return export.get();
    }
    CompletableResultCode[] result = new CompletableResultCode[1];
    try {
      SUPPRESS.invoke(null, (Runnable) () -> result[0] = export.get());
    } catch (ReflectiveOperationException | RuntimeException e) {
      // the other agent's switch failed: export plainly
    }
    return result[0] != null ? result[0] : export.get();
  }

  private static Method find() {
    try {
      // assembled so that relocation in the agent jar leaves the other agent's name alone
      String name = String.join(".", "io", "opentelemetry", "javaagent", "shaded", "io",
          "opentelemetry", "api", "internal", "InstrumentationUtil");
      return Class.forName(name, false, null).getMethod("suppressInstrumentation", Runnable.class);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException absent) {
      return null;
    }
  }
}
