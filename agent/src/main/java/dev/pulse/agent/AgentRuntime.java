package dev.pulse.agent;

import dev.pulse.agent.autoscale.AutoscaleLoop;
import dev.pulse.agent.autoscale.SizerLimits;
import dev.pulse.agent.config.AgentSettings;
import dev.pulse.agent.config.Part;
import dev.pulse.agent.config.Settings;
import dev.pulse.agent.firewall.ErrorClassifier;
import dev.pulse.agent.firewall.ErrorFirewall;
import dev.pulse.agent.firewall.Rule;
import dev.pulse.agent.firewall.RulesFile;
import dev.pulse.agent.hikari.HikariPoolHandle;
import dev.pulse.agent.hikari.HikariPoolInstrumentation;
import dev.pulse.agent.hikari.HikariPools;
import dev.pulse.agent.hikari.MaximumPoolSizeInstrumentation;
import dev.pulse.agent.hikari.PoolFigures;
import dev.pulse.agent.hikari.PoolFillInstrumentation;
import dev.pulse.agent.hikari.PoolStatsPublisher;
import dev.pulse.agent.hikari.PoolUpkeepInstrumentation;
import dev.pulse.agent.hikari.ResizeReporter;
import dev.pulse.agent.instrumentation.Instrumenter;
import dev.pulse.agent.jdbc.AgentJdbcEvents;
import dev.pulse.agent.jdbc.ConnectionInstrumentation;
import dev.pulse.agent.jdbc.DataSourceInstrumentation;
import dev.pulse.agent.jdbc.DataSourceNames;
import dev.pulse.agent.jdbc.JdbcRecorder;
import dev.pulse.agent.jdbc.JdbcRequestFigures;
import dev.pulse.agent.jdbc.JdbcTotals;
import dev.pulse.agent.jdbc.PoolRegistry;
import dev.pulse.agent.jdbc.StatementInstrumentation;
import dev.pulse.agent.system.AlertMonitor;
import dev.pulse.agent.system.AlertThreshold;
import dev.pulse.agent.system.RequestFigures;
import dev.pulse.agent.system.SystemMonitor;
import dev.pulse.agent.vector.VectorSearchRecorder;
import dev.pulse.agent.instrumentation.PulseHooks;
import dev.pulse.agent.dashboard.DashboardServer;
import dev.pulse.agent.export.ExportSource;
import dev.pulse.agent.export.FleetExport;
import dev.pulse.broadcaster.AccessRules;
import dev.pulse.broadcaster.Broadcaster;
import dev.pulse.broadcaster.BroadcasterConfig;
import dev.pulse.broadcaster.Event;
import dev.pulse.log.PulseLog;
import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;

/**
 * The running agent. {@link #instrument()} runs on the thread that loads the agent, so no JDBC call
 * the host makes afterwards is missed; everything else (binding the port, the monitors) starts on a
 * daemon thread in {@link #start()}. Events published before the stream is up are dropped.
 */
final class AgentRuntime {
  private static final PulseLog LOG = PulseLog.forComponent("agent");

  private final AgentSettings settings;
  private final Instrumentation instrumentation;
  /** Loaded into a running JVM: the classes it already loaded must be instrumented too. */
  private final boolean attached;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(daemon("pulse-scheduler"));
  /** Work that may wait on a pool (draining, reading the server's limits): never the scheduler's. */
  private final ExecutorService upkeep = Executors.newSingleThreadExecutor(daemon("pulse-pool-upkeep"));
  private final DemandSchedule demand = new DemandSchedule(scheduler);
  /** Some client reads the stream (told by the broadcaster). */
  private volatile boolean clientsConnected;
  private HikariPools pools;
  private volatile Consumer<Event> stream = event -> { };
  private RequestFigures requests = RequestFigures.NONE;
  private PoolStatsPublisher poolStats;
  private AutoscaleLoop sizer;
  private VectorSearchRecorder vectors;
  private ErrorFirewall firewall;
  private boolean instrumented;
  // fleet export (OTLP, /metrics): reads the pools through ExportSource, follows published events
  private ExportSource exportSource = ExportSource.NONE;
  private volatile FleetExport export;

  AgentRuntime(AgentSettings settings, Instrumentation instrumentation, boolean attached) {
    this.settings = settings;
    this.instrumentation = instrumentation;
    this.attached = attached;
  }

  /** Installs the JDBC and HikariCP instrumentation, when on. */
  void instrument() {
    if (settings.isOff(Part.JDBC) || !settings.get(Settings.JDBC_ENABLED)) {
      return;
    }
    try {
      Consumer<Event> publisher = this::publish;
      PoolRegistry registry = new PoolRegistry(DataSourceNames::of);
      JdbcTotals totals = new JdbcTotals();
      pools = new HikariPools(registry);
      PoolFigures figures = new PoolFigures((int) settings.get(Settings.POOL_WINDOW).getSeconds());
      poolStats = new PoolStatsPublisher(pools, publisher, figures);
      sizer = settings.isOff(Part.AUTOSCALE) || !settings.get(Settings.AUTOSCALE_ENABLED)
          ? null : newSizer();
      vectors = settings.isOff(Part.VECTOR) || !settings.get(Settings.VECTOR_ENABLED)
          ? null : new VectorSearchRecorder(publisher, settings.get(Settings.VECTOR_RECALL_RATE),
              settings.get(Settings.VECTOR_RECALL_BUDGET), name -> recallConnection(pools, name));
      firewall = settings.isOff(Part.FIREWALL) || !settings.get(Settings.FIREWALL_ENABLED) ? null
          : new ErrorFirewall(new ErrorClassifier(userRules(), settings.get(Settings.REDACT)),
              settings.get(Settings.FIREWALL_WINDOW).toMillis(),
              // a report opens a window, which the scheduler must close
              event -> { publish(event); demand.review(); },
              sql -> vectors != null && vectors.isSearch(sql), settings.get(Settings.FIREWALL_FAILFAST),
              settings.get(Settings.FIREWALL_PROBE).toMillis());
      PulseHooks.install(new AgentJdbcEvents(new JdbcRecorder(registry, totals), vectors, firewall, pools,
          new ResizeReporter(publisher, figures, scheduler), this::poolFound, scheduler));
      long installing = System.nanoTime();
      Instrumenter.install(instrumentation, List.of(
          new DataSourceInstrumentation(),
          new StatementInstrumentation.Execute(),
          new StatementInstrumentation.Query(),
          new ConnectionInstrumentation.Prepare(),
          new ConnectionInstrumentation.TransactionEnd(),
          new HikariPoolInstrumentation(),
          new PoolFillInstrumentation(),
          new MaximumPoolSizeInstrumentation(),
          new PoolUpkeepInstrumentation()),
          // A JDBC implementation names java.sql types in what it implements or declares (the
          // methods advised take or return them, or throw SQLException); a HikariCP class names
          // its own package.
          List.of("java/sql/", "com/zaxxer/hikari/"), attached);
      requests = new JdbcRequestFigures(totals, pools);
      exportSource = new PoolExportSource(pools);
      instrumented = true;
      LOG.debug("JDBC instrumentation installed in "
          + (System.nanoTime() - installing) / 1_000_000 + " ms");
    } catch (Throwable t) {
      LOG.error("JDBC instrumentation failed to install; the application runs without it", t);
    }
  }

  /** Starts the stream and the monitors; runs on the agent's start-up thread. */
  void start() {
    try {
      export = FleetExport.start(settings, exportSource, System.getenv());
      startStream();
      // Periodic work runs only while it has something to watch or someone to tell: with no pool
      // and no client, the scheduler's thread stays parked.
      BooleanSupplier hasPools = () -> pools != null && !pools.all().isEmpty();
      BooleanSupplier watched = () -> clientsConnected || hasPools.getAsBoolean();
      if (!settings.isOff(Part.SYSTEM)) {
        demand.add(new SystemMonitor(this::publish, requests),
            settings.get(Settings.SYSTEM_INTERVAL).toMillis(), false, watched);
      }
      if (!settings.isOff(Part.ALERTS) && settings.get(Settings.ALERT_ENABLED)) {
        demand.add(newAlertMonitor(), settings.get(Settings.ALERT_INTERVAL).toMillis(), false,
            watched);
      }
      if (poolStats != null && !settings.isOff(Part.POOLS)) {
        // a pool's first pool_stats goes out when it is found
        demand.add(poolStats, settings.get(Settings.POOL_INTERVAL).toMillis(), true, hasPools);
      }
      if (sizer != null) {
        demand.add(sizer, settings.get(Settings.AUTOSCALE_INTERVAL).toMillis(), true, hasPools);
      }
      if (firewall != null) {
        demand.add(firewall, 1000, true, firewall::hasOpenWindows);
      }
      if (instrumented) {
        demand.add(Instrumenter::trimTypeCache, 60_000, true, watched);
      }
    } catch (Throwable t) {
      LOG.error("failed to start; the application runs without it", t);
    }
  }

  private void publish(Event event) {
    stream.accept(event);
    FleetExport fleet = export;
    if (fleet != null) {
      fleet.accept(event);
    }
  }

  private void startStream() {
    if (settings.isOff(Part.STREAM)) {
      LOG.warn("the WebSocket stream is off because of the setting problems above");
      return;
    }
    DashboardServer dashboard = bindDashboard();
    BroadcasterConfig config = settings.broadcasterConfig();
    if (dashboard != null) {
      config.pagePorts(Set.of(dashboard.port()));
    }
    Broadcaster broadcaster = Broadcaster.start(config);
    if (!broadcaster.isListening()) {
      if (dashboard != null) {
        dashboard.stop(); // a page with no stream to read would only mislead
      }
      return;
    }
    stream = broadcaster::publish;
    broadcaster.watchAudience(clients -> {
      clientsConnected = clients;
      demand.review();
    });
    closeAtExit(broadcaster, dashboard);
    LOG.info("streaming on " + broadcaster.url()
        + (settings.get(Settings.TOKEN) != null ? " (token required)" : ""));
    if (dashboard != null) {
      dashboard.serve(config.tls() ? "wss" : "ws", broadcaster.port(),
          new AccessRules(settings.get(Settings.TOKEN)));
      LOG.info("dashboard on " + dashboard.url()
          + (settings.get(Settings.TOKEN) != null ? "?token=..." : ""));
    }
    serveMetrics(dashboard);
  }

  /** /metrics on the dashboard's server, when metrics.enabled is on. */
  private void serveMetrics(DashboardServer dashboard) {
    if (export == null || export.metricsPage() == null) {
      return;
    }
    if (dashboard == null) {
      LOG.warn("metrics.enabled: /metrics is served on the dashboard's port, which is off;"
          + " Prometheus has nothing to scrape (OTLP, if on, still pushes)");
      return;
    }
    dashboard.serveMetrics(export.metricsPage());
    LOG.info("Prometheus metrics on " + dashboard.url() + "metrics");
  }

  /**
   * Stops both servers when the JVM exits, so that none of their threads is still blocked in a
   * selector: HotSpot waits up to 300 ms for such threads before it ends the process, which every
   * short-lived host (a batch job, a CLI, a test run) would pay.
   */
  private static void closeAtExit(Broadcaster broadcaster, DashboardServer dashboard) {
    Thread hook = new Thread(() -> {
      try {
        if (dashboard != null) {
          dashboard.stop();
        }
        broadcaster.closeAtExit();
      } catch (Throwable t) {
        // the JVM is going away: nothing left to tell
      }
    }, "pulse-exit");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // the application is exiting while the agent starts: nothing to stop later
    }
  }

  /** The dashboard's port, bound; null when it is off or the port is taken (the stream goes on). */
  private DashboardServer bindDashboard() {
    if (settings.isOff(Part.DASHBOARD) || !settings.get(Settings.DASHBOARD_ENABLED)) {
      return null;
    }
    try {
      return DashboardServer.bind(settings.broadcasterConfig(), settings.get(Settings.DASHBOARD_PORT));
    } catch (Exception e) {
      LOG.error("dashboard: cannot listen on " + settings.get(Settings.HOST) + ":"
          + settings.get(Settings.DASHBOARD_PORT) + " (" + e.getMessage() + "); the page is off,"
          + " the stream and the application run");
      return null;
    }
  }

  /** The user's rules file, read now; refused as a whole when broken (the built-ins stay on). */
  private List<Rule> userRules() {
    java.nio.file.Path file = settings.get(Settings.FIREWALL_RULES);
    if (file == null) {
      return List.of();
    }
    try {
      List<Rule> rules = RulesFile.read(file);
      LOG.info("firewall: " + rules.size() + " rules from " + file);
      return rules;
    } catch (RulesFile.InvalidRulesException e) {
      LOG.error("firewall rules refused: " + e.getMessage() + "; the built-in rules stay on");
      return List.of();
    }
  }

  /** A connection of the agent's own to the database of the named pool, for exact re-runs. */
  private static java.sql.Connection recallConnection(HikariPools pools, String name) {
    HikariPoolHandle pool = pools.byName(name);
    if (pool == null) {
      return null;
    }
    try {
      return pool.openSeparateConnection("pulse-recall");
    } catch (Exception e) {
      LOG.warn("recall for pool " + name + " is off: cannot open a connection of the agent's own ("
          + e.getMessage() + ")");
      return null;
    }
  }

  /** On the scheduler: a pool started (or, after an attach, was first borrowed from or topped up). */
  private void poolFound(HikariPoolHandle pool) {
    LOG.info("found HikariCP pool " + pool.name() + " (maximum " + pool.configuredSize()
        + ", minimum idle " + pool.configuredMinimumIdle() + ")");
    if (!settings.isOff(Part.POOLS)) {
      poolStats.publish(pool);
    }
    if (sizer != null) {
      sizer.add(pool);
    }
    demand.review();
    if (sizer != null || vectors != null) {
      upkeep.execute(() -> readServerSettings(pool));
    }
  }

  /**
   * What the sizer and vector search need from a pool's server (its connection limit, pgvector's
   * defaults), read on a connection of the agent's own, closed after use: never one borrowed from
   * the pool, and only for PostgreSQL pools (known from the pool's configuration).
   */
  private void readServerSettings(HikariPoolHandle pool) {
    if (!pool.isPostgreSql()) {
      LOG.info("pool " + pool.name() + " is not PostgreSQL: the agent opens no connection to it");
      return;
    }
    PulseHooks.enterInternal();
    try (java.sql.Connection connection = pool.openSeparateConnection("pulse")) {
      if (sizer != null) {
        sizer.readServerLimit(pool, connection);
      }
      if (vectors != null) {
        vectors.readServerDefaults(pool.name(), connection);
      }
      LOG.info("pool " + pool.name() + ": server settings read on a connection of the agent's own");
    } catch (Exception e) {
      LOG.info("pool " + pool.name() + ": cannot open a connection of the agent's own ("
          + e.getMessage() + "); the sizer and vector search go on without the server's settings");
    } finally {
      PulseHooks.exitInternal();
    }
  }

  private AutoscaleLoop newSizer() {
    SizerLimits limits = new SizerLimits(settings.get(Settings.AUTOSCALE_HIGH),
        settings.get(Settings.AUTOSCALE_LOW), settings.get(Settings.AUTOSCALE_GROW_AFTER),
        settings.get(Settings.AUTOSCALE_SHRINK_AFTER), settings.get(Settings.AUTOSCALE_STEP),
        settings.get(Settings.AUTOSCALE_COOLDOWN).toMillis(),
        settings.get(Settings.AUTOSCALE_LATENCY_FACTOR));
    return new AutoscaleLoop(limits, settings.get(Settings.AUTOSCALE_FLOOR),
        settings.get(Settings.AUTOSCALE_CEILING), settings.get(Settings.AUTOSCALE_HEADROOM),
        new HashSet<>(settings.get(Settings.AUTOSCALE_OFF)), upkeep);
  }

  private AlertMonitor newAlertMonitor() {
    int hysteresis = settings.get(Settings.ALERT_HYSTERESIS);
    int fireAfter = settings.get(Settings.ALERT_FIRE_AFTER);
    int clearAfter = settings.get(Settings.ALERT_CLEAR_AFTER);
    DoubleFunction<AlertThreshold> at =
        level -> new AlertThreshold(level, hysteresis, fireAfter, clearAfter);
    return new AlertMonitor(this::publish, requests, at.apply(settings.get(Settings.ALERT_HEAP)),
        at.apply(settings.get(Settings.ALERT_CPU)), at.apply(settings.get(Settings.ALERT_POOL)),
        at.apply(settings.get(Settings.ALERT_ERRORS)), settings.get(Settings.ALERT_ERRORS_MIN));
  }

  private static ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
