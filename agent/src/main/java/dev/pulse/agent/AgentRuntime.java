package dev.pulse.agent;

import dev.pulse.agent.autoscale.AutoscaleLoop;
import dev.pulse.agent.autoscale.SizerLimits;
import dev.pulse.agent.config.AgentSettings;
import dev.pulse.agent.config.Part;
import dev.pulse.agent.config.Settings;
import dev.pulse.agent.dashboard.StreamStarter;
import dev.pulse.agent.firewall.ErrorClassifier;
import dev.pulse.agent.firewall.ErrorFirewall;
import dev.pulse.agent.firewall.FirewallListener;
import dev.pulse.agent.firewall.RulesFile;
import dev.pulse.agent.hikari.HikariPoolHandle;
import dev.pulse.agent.hikari.HikariPools;
import dev.pulse.agent.hikari.JdbcRequestFigures;
import dev.pulse.agent.hikari.PoolDiscovery;
import dev.pulse.agent.hikari.PoolFigures;
import dev.pulse.agent.hikari.PoolListener;
import dev.pulse.agent.hikari.PoolStatsPublisher;
import dev.pulse.agent.hikari.ResizeReporter;
import dev.pulse.agent.hikari.ServerSettingsReader;
import dev.pulse.agent.instrumentation.AcquireGate;
import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.HikariListener;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.agent.instrumentation.Instrumenter;
import dev.pulse.agent.instrumentation.JdbcListener;
import dev.pulse.agent.instrumentation.PulseHooks;
import dev.pulse.agent.jdbc.DataSourceNames;
import dev.pulse.agent.jdbc.DbSystemNames;
import dev.pulse.agent.jdbc.JdbcTotals;
import dev.pulse.agent.jdbc.PoolAccounting;
import dev.pulse.agent.jdbc.PoolRegistry;
import dev.pulse.agent.leaks.LeakDetector;
import dev.pulse.agent.queries.QueryStats;
import dev.pulse.agent.queries.QueryStatsPublisher;
import dev.pulse.agent.system.AlertMonitor;
import dev.pulse.agent.system.AlertThreshold;
import dev.pulse.agent.system.RequestFigures;
import dev.pulse.agent.system.SystemMonitor;
import dev.pulse.agent.vector.AdvisorLimits;
import dev.pulse.agent.vector.PgjdbcAccess;
import dev.pulse.agent.series.SeriesKeeper;
import dev.pulse.agent.vector.VectorSearchRecorder;
import dev.pulse.agent.vector.VectorStatsPublisher;
import dev.pulse.agent.export.ExportSource;
import dev.pulse.agent.export.FleetExport;
import dev.pulse.broadcaster.Event;
import dev.pulse.broadcaster.SeriesSource;
import dev.pulse.log.PulseLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The running agent, made on its start thread: {@link #instrument} registers the features'
 * listeners, then lets the events of the classes woven meanwhile (by the transformer installed on
 * the thread that loaded the agent) go to them; {@link #start()} binds the port and starts the
 * monitors. Events published before the stream is up are dropped.
 */
final class AgentRuntime {
  private static final PulseLog LOG = PulseLog.forComponent("agent");

  private final AgentSettings settings;
  private final ScheduledThreadPoolExecutor scheduler =
      new ScheduledThreadPoolExecutor(1, daemon("pulse-scheduler"));
  /** Work that may wait on a pool (draining, reading the server's limits): never the scheduler's. */
  private final ThreadPoolExecutor upkeep = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new LinkedBlockingQueue<>(), daemon("pulse-pool-upkeep"));
  private final DemandSchedule demand = new DemandSchedule(scheduler);
  /** Some client reads the stream (told by the broadcaster). */
  private volatile boolean clientsConnected;
  private HikariPools pools;
  private volatile Consumer<Event> stream = event -> { };
  private RequestFigures requests = RequestFigures.NONE;
  /** The per-second history a client asks for with {"action":"series"}. */
  private SeriesSource series = SeriesSource.NONE;
  /** The features' periodic tasks, put on the demand schedule when the stream starts. */
  private final List<Runnable> periodic = new ArrayList<>();
  // fleet export (OTLP, /metrics): reads the pools through ExportSource, follows published events
  private ExportSource exportSource = ExportSource.NONE;
  private volatile FleetExport export;

  AgentRuntime(AgentSettings settings) {
    this.settings = settings;
    // a leak check is cancelled at every return: cancelled checks must not pile up in the queue
    scheduler.setRemoveOnCancelPolicy(true);
    // Started here, on the agent's start thread: a thread started later from an application
    // thread would inherit that thread's context class loader and access context, and keep the
    // application's class loader reachable for as long as the agent runs. The upkeep thread is
    // made on its first task, which only the scheduler's thread hands it (pools exist by then).
    scheduler.prestartAllCoreThreads();
  }

  /**
   * Registers a listener per feature that is on (one that is off is simply not there), then lets
   * the events of the JDBC and HikariCP classes woven so far go to them (they waited for it); with
   * JDBC instrumentation off, or on a failure, the caller then says nothing listens.
   */
  void instrument(Instrumenter instrumenter) {
    if (!settings.isOn(Part.JDBC, Settings.JDBC_ENABLED)) {
      return;
    }
    try {
      Consumer<Event> publisher = this::publish;
      Hooks hooks = PulseHooks.hooks();
      PoolRegistry registry = new PoolRegistry(DataSourceNames::of);
      JdbcTotals totals = new JdbcTotals(registry);
      hooks.add(new PoolAccounting(registry, totals));
      pools = new HikariPools(hooks::keyOf, registry);
      PoolDiscovery discovery = new PoolDiscovery(pools, scheduler);
      discovery.add(new PoolListener() {
        @Override
        public void poolFound(HikariPoolHandle pool) {
          demand.review(); // the pool tasks have work from now on
        }
      });
      hooks.add((JdbcListener) discovery);
      hooks.add((HikariListener) discovery);
      PoolFigures figures = new PoolFigures((int) settings.get(Settings.POOL_WINDOW).getSeconds());
      hooks.add(new ResizeReporter(pools, publisher, figures, scheduler));
      Function<DataSourceKey, String> poolNames = source -> registry.metricsFor(source).name();
      ServerSettingsReader serverSettings = new ServerSettingsReader(upkeep);
      if (!settings.isOff(Part.POOLS)) {
        PoolStatsPublisher poolStats = new PoolStatsPublisher(pools, publisher, figures);
        discovery.add(poolStats);
        // a pool's first pool_stats goes out when it is found
        periodic.add(() -> demand.add(poolStats, settings.get(Settings.POOL_INTERVAL).toMillis(),
            true, this::hasPools));
      }
      if (settings.isOn(Part.AUTOSCALE, Settings.AUTOSCALE_ENABLED)) {
        AutoscaleLoop sizer = newSizer();
        discovery.add(sizer);
        hooks.add(sizer); // a borrow that waited long has its pool sampled at once
        serverSettings.add(sizer);
        periodic.add(() -> demand.add(sizer, settings.get(Settings.AUTOSCALE_INTERVAL).toMillis(),
            true, this::hasPools));
      }
      Predicate<String> isVectorSearch = sql -> false;
      VectorStatsPublisher vectorStats = null;
      if (settings.isOn(Part.VECTOR, Settings.VECTOR_ENABLED)) {
        AdvisorLimits advice = settings.get(Settings.VECTOR_ADVICE_ENABLED) ? new AdvisorLimits(
            settings.get(Settings.VECTOR_ADVICE_RATE), settings.get(Settings.VECTOR_ADVICE_BUDGET),
            settings.get(Settings.VECTOR_ADVICE_ROWS), settings.get(Settings.VECTOR_ADVICE_SHORT),
            settings.get(Settings.VECTOR_ADVICE_SAMPLES), settings.get(Settings.VECTOR_RECALL_TARGET),
            settings.get(Settings.VECTOR_ADVICE_INTERVAL).toMillis()) : null;
        VectorSearchRecorder vectors = new VectorSearchRecorder(publisher,
            settings.get(Settings.VECTOR_RECALL_RATE), settings.get(Settings.VECTOR_RECALL_BUDGET),
            pools::openSeparateConnection, poolNames, advice,
            pool -> pools.openSeparateConnection(pool, "pulse-advisor"),
            settings.get(Settings.VECTOR_TUNE), settings.get(Settings.VECTOR_EVENTS_RATE),
            demand::review);
        hooks.add(vectors);
        VectorStatsPublisher stats = vectors.stats();
        vectorStats = stats;
        // while searches happen: the first search after a quiet run puts it back
        periodic.add(() -> demand.add(stats, settings.get(Settings.POOL_INTERVAL).toMillis(),
            true, stats::wanted));
        if (vectors.tuner() != null) {
          hooks.add(vectors.tuner()); // only when on: otherwise a borrow costs nothing more
        }
        discovery.add(vectors);
        serverSettings.add(vectors);
        isVectorSearch = vectors::isSearch;
      }
      if (!serverSettings.isEmpty()) {
        discovery.add(serverSettings);
      }
      // the collections' series read the figures vector_stats reads; the first search after a
      // quiet spell reviews the schedule (vector_stats' wake), which puts the sampling back
      SeriesKeeper keeper = new SeriesKeeper(pools::all, vectorStats);
      series = keeper;
      periodic.add(() -> demand.add(keeper, 1000, false, keeper::hasWork));
      QueryStats queries = null;
      if (settings.isOn(Part.QUERIES, Settings.QUERIES_ENABLED)) {
        PgjdbcAccess driver = new PgjdbcAccess();
        queries = new QueryStats(settings.get(Settings.QUERIES_MAX),
            settings.get(Settings.SLOW_THRESHOLD).toNanos(), publisher, poolNames,
            resultSet -> {
              Integer rows = driver.rowCount(resultSet);
              return rows == null ? -1 : rows;
            }, source -> DbSystemNames.of(source == null ? null : source.get()),
            "pulse-queries");
        hooks.add(queries);
        QueryStatsPublisher queryTables = new QueryStatsPublisher(queries, publisher);
        // while someone may read it: a client that connects gets the tables at once
        periodic.add(() -> demand.add(queryTables, settings.get(Settings.QUERIES_INTERVAL).toMillis(),
            false, this::isWatched));
      }
      LeakDetector leaks = null;
      if (!settings.isOff(Part.LEAKS) && !settings.get(Settings.LEAK_THRESHOLD).isZero()) {
        leaks = new LeakDetector(settings.get(Settings.LEAK_THRESHOLD).toNanos(), scheduler,
            publisher, poolNames);
        hooks.add(leaks);
      }
      if (settings.isOn(Part.FIREWALL, Settings.FIREWALL_ENABLED)) {
        ErrorFirewall firewall = new ErrorFirewall(new ErrorClassifier(
            RulesFile.readOrNone(settings.get(Settings.FIREWALL_RULES)), settings.get(Settings.REDACT)),
            settings.get(Settings.FIREWALL_WINDOW).toMillis(),
            // a report opens a window, which the scheduler must close
            event -> { publish(event); demand.review(); }, isVectorSearch,
            settings.get(Settings.FIREWALL_FAILFAST), settings.get(Settings.FIREWALL_PROBE).toMillis());
        FirewallListener listener = new FirewallListener(firewall, poolNames,
            withHolders(pools::borrowContext, leaks));
        hooks.add((JdbcListener) listener);
        hooks.add((AcquireGate) listener);
        periodic.add(() -> demand.add(firewall, 1000, true, firewall::hasOpenWindows));
      }
      requests = new JdbcRequestFigures(totals, pools);
      exportSource = new PoolExportSource(pools, queries);
      periodic.add(() -> demand.add(Instrumenter::trimTypeCache, 60_000, true, this::isWatched));
      instrumenter.listen();
    } catch (Throwable t) {
      LOG.error("JDBC instrumentation failed to install; the application runs without it", t);
    }
  }

  /**
   * At a failed borrow: the pool's figures of that moment and, with leaks followed, who held its
   * connections then (taken on the failing thread; their stacks are read later).
   */
  private static Function<DataSourceKey, Supplier<Map<String, Object>>> withHolders(
      Function<DataSourceKey, Supplier<Map<String, Object>>> figures, LeakDetector leaks) {
    if (leaks == null) {
      return figures;
    }
    return source -> {
      Supplier<Map<String, Object>> pool = figures.apply(source);
      if (pool == null) {
        return null;
      }
      LeakDetector.Holders holders = leaks.holdersNow(source);
      return () -> {
        Map<String, Object> described = pool.get();
        described.put("holders", holders.longest(5));
        return described;
      };
    };
  }

  /** Starts the stream, the monitors and the features' periodic tasks. */
  void start() {
    try {
      export = FleetExport.start(settings, exportSource, System.getenv());
      Consumer<Event> started = StreamStarter.start(settings,
          export == null ? null : export.metricsPage(), series, clients -> {
            clientsConnected = clients;
            demand.review();
          });
      if (started != null) {
        stream = started;
      }
      // the JVM's figures at once for a client that just came; one period after the first pool
      // when none watches (nobody reads them yet, and the JDK's management, which their first
      // reading sets up, then stays out of the application's own start)
      if (!settings.isOff(Part.SYSTEM)) {
        demand.add(new SystemMonitor(this::publish, requests),
            settings.get(Settings.SYSTEM_INTERVAL).toMillis(), this::hasClients, this::isWatched);
      }
      if (settings.isOn(Part.ALERTS, Settings.ALERT_ENABLED)) {
        demand.add(newAlertMonitor(), settings.get(Settings.ALERT_INTERVAL).toMillis(),
            this::hasClients, this::isWatched);
      }
      periodic.forEach(Runnable::run);
    } catch (Throwable t) {
      LOG.error("failed to start; the application runs without it", t);
    }
  }

  // Periodic work runs only while it has something to watch or someone to tell: with no pool and
  // no client, the scheduler's thread stays parked.
  private boolean hasPools() {
    return pools != null && !pools.all().isEmpty();
  }

  private boolean hasClients() {
    return clientsConnected;
  }

  private boolean isWatched() {
    return hasClients() || hasPools();
  }

  private void publish(Event event) {
    stream.accept(event);
    FleetExport fleet = export;
    if (fleet != null) {
      fleet.accept(event);
    }
  }

  private AutoscaleLoop newSizer() {
    SizerLimits limits = new SizerLimits(settings.get(Settings.AUTOSCALE_HIGH),
        settings.get(Settings.AUTOSCALE_LOW), settings.get(Settings.AUTOSCALE_GROW_AFTER),
        settings.get(Settings.AUTOSCALE_SHRINK_AFTER),
        settings.get(Settings.AUTOSCALE_COOLDOWN).toMillis(),
        settings.get(Settings.AUTOSCALE_LATENCY_FACTOR),
        settings.get(Settings.AUTOSCALE_WARMUP).toMillis());
    return new AutoscaleLoop(limits, settings.get(Settings.AUTOSCALE_FLOOR),
        settings.get(Settings.AUTOSCALE_CEILING), settings.get(Settings.AUTOSCALE_HEADROOM),
        new HashSet<>(settings.get(Settings.AUTOSCALE_OFF)),
        settings.get(Settings.AUTOSCALE_WAIT).toNanos(), scheduler, upkeep);
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
      thread.setContextClassLoader(AgentRuntime.class.getClassLoader());
      return thread;
    };
  }
}
