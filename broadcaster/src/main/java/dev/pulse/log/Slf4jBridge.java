package dev.pulse.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Routes the bundled Java-WebSocket's SLF4J calls into {@link PulseLog}, so the relocated SLF4J
 * finds a provider (no "no providers" warning on the host's stderr) and binds nothing of the host's.
 *
 * <p>Everything the library says goes to debug: what matters to a user (a taken port, a refused
 * client) is reported by the broadcaster itself, once, in its own words.
 */
public final class Slf4jBridge implements SLF4JServiceProvider {

  private final ILoggerFactory loggerFactory = BridgeLogger::new;
  private final IMarkerFactory markerFactory = new BasicMarkerFactory();
  private final MDCAdapter mdcAdapter = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdcAdapter;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    // nothing to set up
  }

  private static final class BridgeLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient PulseLog log;

    BridgeLogger(String name) {
      this.name = name;
      this.log = PulseLog.forComponent(name);
    }

    private boolean enabled() {
      return log.isEnabled(PulseLog.Level.DEBUG);
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return enabled();
    }

    @Override
    public boolean isInfoEnabled() {
      return enabled();
    }

    @Override
    public boolean isWarnEnabled() {
      return enabled();
    }

    @Override
    public boolean isErrorEnabled() {
      return enabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
        Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      log.debug(level + " " + message, throwable);
    }
  }
}
